// Writes a problem+json reply from inside a hook (hooks answer directly rather than relying on the app's error
// handler, so the auth checks hold however the server is assembled).
import type { FastifyReply } from 'fastify';
import { ProblemError } from '../problem.js';

export function sendProblem(reply: FastifyReply, problem: ProblemError): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(JSON.stringify(problem.body()));
}

export function unauthorized(): ProblemError {
  return new ProblemError(401, 'Not authenticated', 'Log in, or send an API token as "Authorization: Bearer <token>".');
}
