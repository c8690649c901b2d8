import { Agent, request } from 'node:http';

/**
 * The connection headers an embedded server answers a keep-alive request with: `connection` and
 * `keep-alive` (the idle timeout it announces, after which it closes the connection itself).
 */
export async function connectionHeaders(
  url: string,
  method: 'GET' | 'POST' = 'GET',
): Promise<{ connection?: string; keepAlive?: string }> {
  const agent = new Agent({ keepAlive: true });
  try {
    return await new Promise((resolve, reject) => {
      const req = request(url, { method, agent }, (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            connection: res.headers.connection,
            keepAlive: res.headers['keep-alive'] as string | undefined,
          }),
        );
      });
      req.on('error', reject);
      req.end(method === 'POST' ? '{}' : undefined);
    });
  } finally {
    agent.destroy();
  }
}
