-- wrk script: one short text per POST /v1/moderations (OpenAI schema)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"input": "you are such an idiot, nobody wants you here"}'
