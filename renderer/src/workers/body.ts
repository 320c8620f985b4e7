/** What the page asks of the body worker (one parsed response body) and what it answers: defined beside the client. */
export type { BodyProtocol } from '../features/response/body-client';
