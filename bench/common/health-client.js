// A health prober, run as its own process by bench/fit-async.js: GET http://127.0.0.1:<port>/health
// every <interval> ms on a fixed schedule (as a load balancer probes; a blocked server makes the
// answers pile up), each answer's latency kept. Messages: 'start' (probing, a new list), 'report'
// (stops probing, sends back the latencies and failures since 'start'), 'exit'.
const http = require('http');

const [port, interval] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let latencies = [];
let failures = 0;

function probe() {
  const started = performance.now();
  const request = http.get({ host: '127.0.0.1', port, path: '/health', agent }, (response) => {
    response.resume();
    response.on('end', () => latencies.push(performance.now() - started));
  });
  request.on('error', () => { failures++; });
}

let timer = null;
process.on('message', (message) => {
  if (message === 'start') {
    latencies = [];
    failures = 0;
    timer = setInterval(probe, interval);
    process.send('started');
  } else if (message === 'report') {
    clearInterval(timer);
    process.send({ latencies, failures });
  } else if (message === 'exit') {
    clearInterval(timer);
    agent.destroy();
    process.disconnect();
  }
});
