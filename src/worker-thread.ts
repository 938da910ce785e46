// Starting a worker thread on a module of this package, compiled or not.
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on the module `url` with `workerData`. A compiled .js module starts directly. Under tsx (a
 * .ts module: tests and development) the worker must register tsx's loader itself before importing the module: on
 * Node 20 neither the hooks tsx registers in the main thread nor `--import tsx` in execArgv reach a worker's entry module.
 */
export function startWorker(url: URL, data: unknown): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: data });
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}
