// Parses large host answers (an exchange with a big response body) off the main thread.
self.onmessage = (ev: MessageEvent<{ id: number; text: string }>) => {
  const { id, text } = ev.data;
  try {
    self.postMessage({ id, value: JSON.parse(text) as unknown });
  } catch (e) {
    self.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
};
