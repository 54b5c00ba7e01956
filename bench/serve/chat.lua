-- wrk script: one non-streamed chat completion with a harmless question
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model": "fake", "messages": [{"role": "user", "content": "What is the capital of France?"}]}'
