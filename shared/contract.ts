/**
 * The one contract between the renderer and the world, in shared/contract/: each channel is
 * `domain:verb` with an input and an output schema (channels.ts), events pushed to the renderer
 * (events.ts), the types derived from them (api.ts: `StudioApi`, so an unknown channel or a wrong
 * payload is a compile error in the renderer), and the binder that turns the table into that API over
 * any transport (binder.ts). The Electron IPC layer and the browser host both parse inputs with these
 * schemas before any service runs. This file gathers them so importers keep one path.
 */

// The error class lives in the model (services throw it without knowing the transport); the contract
// re-exports it because every transport revives it.
export { StudioError, studioErrorSchema, type StudioErrorShape } from './model/error';
export { fileProblemSchema, type FileProblem } from './model';
export {
  caughtRequestSchema,
  collectionSnapshotSchema,
  exportFormats,
  historyEntrySchema,
  importFormats,
  importReportSchema,
  leadsShown,
  runnerCountsSchema,
  runnerRowSchema,
  type CaughtRequest,
  type CollectionSnapshot,
  type HistoryEntry,
  type ImportReport,
  type LeadsShown,
  type RunnerRow,
} from './contract/schemas';
export { channels } from './contract/channels';
export { events } from './contract/events';
export {
  channelNames,
  eventNames,
  isEventName,
  splitChannel,
  type ChannelInput,
  type ChannelName,
  type ChannelOutput,
  type Domain,
  type EventName,
  type EventPayload,
  type EventPayloads,
  type StudioApi,
} from './contract/api';
export { reviveStudioError, schemaError } from './contract/errors';
export { bindStudioApi, reviveStudioApi, type StudioTransport } from './contract/binder';
export { createEmitter, type Emitter } from './contract/emitter';
export { eventMessageOf, studioEventChannel, unwrapIpcReply, type EventMessage, type IpcReply } from './contract/ipc';
