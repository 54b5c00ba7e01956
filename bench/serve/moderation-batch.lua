-- wrk script: a batch of 32 short texts per POST /v1/moderations
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local texts = {}
for i = 1, 32 do texts[i] = '"comment number ' .. i .. ': thanks for sharing, you absolute idiot"' end
wrk.body = '{"input": [' .. table.concat(texts, ",") .. ']}'
