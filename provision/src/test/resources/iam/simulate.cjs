// Asks iam-simulate (AWS IAM policy evaluation on AWS's service authorization data) what one identity policy allows.
// argv[2]: the directory iam-simulate is installed in (ci/test.sh: /opt/lifeline-ci/iam-simulate).
// stdin: {"policy": {...}, "principal": ARN, "account": ID, "requests": [{"action": "ec2:…", "resource": ARN or "*"}]}
// stdout: a JSON array, one entry per request: "Allowed", "ImplicitlyDenied", "ExplicitlyDenied" or "error: <why>".
'use strict';
const { createRequire } = require('node:module');
const path = require('node:path');

const { runSimulation } = createRequire(path.join(process.argv[2], 'package.json'))('@cloud-copilot/iam-simulate');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', async () => {
  const question = JSON.parse(input);
  const answers = [];
  for (const r of question.requests) {
    const response = await runSimulation({
      identityPolicies: [{ name: 'supervisor', policy: question.policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action: r.action,
        principal: question.principal,
        resource: { accountId: question.account, resource: r.resource },
        contextVariables: {},
      },
    }, {});
    answers.push(response.resultType === 'error'
      ? 'error: ' + (response.errors && response.errors.message ? response.errors.message : JSON.stringify(response.errors))
      : response.overallResult);
  }
  process.stdout.write(JSON.stringify(answers));
});
