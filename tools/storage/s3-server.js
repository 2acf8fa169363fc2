// The local target's S3 server: s3rver on 127.0.0.1, plus a request log with one line per request
// ("METHOD /bucket/key?query"), written when the request arrives, so a test can hold a backup host's traffic
// against the permissions its cloud role grants. (s3rver's own log cuts the method and path off.)
//   node s3-server.js PORT DATA_DIR REQUEST_LOG
'use strict';
const fs = require('fs');
const S3rver = require('s3rver');

const [port, directory, requestLog] = process.argv.slice(2);
if (!port || !directory || !requestLog) {
  console.error('usage: node s3-server.js PORT DATA_DIR REQUEST_LOG');
  process.exit(2);
}

const server = new S3rver({ address: '127.0.0.1', port: Number(port), directory, silent: true });
const handle = server.callback();
server.callback = () => (req, res) => {
  fs.appendFileSync(requestLog, `${req.method} ${req.url}\n`);
  return handle(req, res);
};
server.run().then(
  (address) => console.log(`s3rver listening on ${address.address}:${address.port}`),
  (error) => { console.error(error); process.exit(1); });
