import { BodyIndex } from '../features/response/body-index';
import { answer, infoOf } from '../features/response/body-client';
import { answerRequests } from './rpc';
import type { BodyProtocol } from './body';

// Holds one parsed response body for the response pane; the page asks for windows of rows and lines.
let index: BodyIndex | undefined;

answerRequests<BodyProtocol>(({ req }) => {
  if (req.op === 'open') {
    index = new BodyIndex(req.text ?? new TextDecoder().decode(req.bytes), req.kind, { partial: req.partial });
    return { answer: { value: infoOf(index) } };
  }
  if (!index) throw new Error('no body is open');
  return { answer: { value: answer(index, req) } };
});
