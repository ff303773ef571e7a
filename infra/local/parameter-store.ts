import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';

/**
 * The local stand-in for SSM Parameter Store, where source secrets live: the part of SSM's JSON API the
 * admin API calls (PutParameter, GetParameter, DeleteParameter), and the AWS Parameters and Secrets
 * Lambda Extension's `GET /systemsmanager/parameters/get` that intake reads through, both over
 * parameters kept in `<data-dir>/secrets/parameters.json` (readable by its owner only). The handlers
 * use the same SDK client and the same extension URL as on AWS.
 */
export interface RunningParameterStore {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

interface Parameter {
  Name: string;
  Value: string;
  Type: string;
  Version: number;
  /** Earlier versions, oldest first. */
  History?: Array<{ Version: number; Value: string }>;
  LastModifiedDate: number;
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/x-amz-json-1.1'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

/** One earlier version of a parameter, or the current one, as SSM's `name:version` selector finds it. */
function versionOf(parameter: Parameter, version: number): Parameter | undefined {
  if (parameter.Version === version) return parameter;
  const earlier = parameter.History?.find((h) => h.Version === version);
  return earlier ? { ...parameter, ...earlier, History: undefined } : undefined;
}

const notFound = (name: string) => ({ __type: 'ParameterNotFound', message: `Parameter ${name} not found.` });

/** Starts the local parameter store on `port`, with its parameters under `dataDir`. */
export async function startParameterStore(options: { dataDir: string; port: number; sessionToken: string }): Promise<RunningParameterStore> {
  const dir = join(options.dataDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'parameters.json');
  const parameters = new Map<string, Parameter>(
    existsSync(file) ? Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Parameter>) : [],
  );
  const save = () => {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(parameters), null, 2), { mode: 0o600 });
    renameSync(tmp, file);
    chmodSync(file, 0o600);
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/systemsmanager/parameters/get') {
        if (req.headers['x-aws-parameters-secrets-token'] !== options.sessionToken) {
          return send(res, 401, { message: 'missing or wrong X-Aws-Parameters-Secrets-Token' }, 'application/json');
        }
        const name = url.searchParams.get('name') ?? '';
        const current = parameters.get(name);
        // `version` asks for one version, as the extension (and SSM's `name:version` selector) allow;
        // intake asks for the version its source item names, so a rotated secret is never served stale.
        const wanted = url.searchParams.get('version');
        const found = wanted === null || !current ? current : versionOf(current, Number(wanted));
        // The extension passes SSM's error through as a 400 whose body names it.
        if (!found) return send(res, 400, notFound(wanted === null ? name : `${name}:${wanted}`), 'application/json');
        const { History: _history, ...parameter } = found;
        return send(res, 200, { Parameter: { ...parameter, ARN: `arn:aws:ssm:local:000000000000:parameter${name}` } }, 'application/json');
      }
      if (req.method !== 'POST') return send(res, 404, { message: 'Not Found' }, 'application/json');
      const action = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSSM\./, '');
      const input = JSON.parse((await readAll(req)) || '{}') as { Name?: string; Value?: string; Type?: string; Overwrite?: boolean };
      const name = input.Name ?? '';
      switch (action) {
        case 'PutParameter': {
          const existing = parameters.get(name);
          if (existing && !input.Overwrite) {
            return send(res, 400, { __type: 'ParameterAlreadyExists', message: `The parameter ${name} already exists.` });
          }
          const version = (existing?.Version ?? 0) + 1;
          // SSM keeps a parameter's last 100 versions; so does this store.
          const history = existing ? [...(existing.History ?? []), { Version: existing.Version, Value: existing.Value }].slice(-99) : [];
          parameters.set(name, { Name: name, Value: input.Value ?? '', Type: input.Type ?? 'String', Version: version, LastModifiedDate: Date.now() / 1000, History: history });
          save();
          return send(res, 200, { Version: version, Tier: 'Standard' });
        }
        case 'GetParameter': {
          const found = parameters.get(name);
          if (!found) return send(res, 400, notFound(name));
          const { History: _history, ...parameter } = found;
          return send(res, 200, { Parameter: parameter });
        }
        case 'DeleteParameter': {
          if (!parameters.delete(name)) return send(res, 400, notFound(name));
          save();
          return send(res, 200, {});
        }
        default:
          return send(res, 400, { __type: 'InvalidAction', message: `${action} is not served by the local parameter store` });
      }
    } catch (error) {
      send(res, 500, { __type: 'InternalServerError', message: (error as Error).message });
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', () => ok());
  });
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    port: options.port,
    stop: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
