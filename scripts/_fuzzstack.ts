import { writeFileSync } from 'node:fs';
import { bootStack } from '../test/support/harness';
const stack = await bootStack('fuzzdev', { env: { STEWARD_RATE_LIMIT_PER_MINUTE: '100000', STEWARD_ANONYMOUS_RATE_LIMIT_PER_MINUTE: '100000' } });
writeFileSync('/tmp/c14stack.json', JSON.stringify({ apiUrl: stack.apiUrl, adminKey: stack.adminKey, provider: stack.provider.url, demo: stack.demoClient }));
console.log('ready', stack.apiUrl);
process.on('SIGTERM', () => void stack.stop().then(() => process.exit(0)));
setInterval(() => {}, 1 << 30);
