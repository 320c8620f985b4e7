import { StudioError } from '@shared/model/error';

/** The StudioError a call rejects with; any other outcome (a resolve, another error) fails the test. */
export async function studioErrorOf(p: Promise<unknown>): Promise<StudioError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StudioError) return e;
    throw e;
  }
  throw new Error('expected the call to reject with a StudioError');
}
