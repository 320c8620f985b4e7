import type { BodyRequest } from '../features/response/body-client';

/** What the page asks of the body worker (one parsed response body) and what it answers. */
export type BodyProtocol = { request: { req: BodyRequest }; answer: { value: unknown } };
