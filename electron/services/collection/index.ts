// A collection folder on disk: open it, save and move its files, plan batches, watch it. Each job has its
// own module; this one is the service's front door.
export { versionOf } from './disk';
export { watchCollection, activeWatchCount } from './watch';
export { initCollection } from './init';
export { resolveInside, checkInside } from './contain';
export { isCollectionDir } from './check';
export { maxFolderDepth } from './list';
export { openCollection, emptySnapshot } from './open';
export { saveWebhook, saveContext, saveSettings, saveFields, saveTriggers } from './save';
export { deletePath } from './delete';
export { restoreFromTrash, sweepTrash } from './trash';
export { movePath, moveEntries, type Moved } from './move';
export { renameFile, type RenameInput } from './rename';
export { fmtCollection } from './fmt';
export { findWebhook, findContext } from './find';
export { plan, commitWrites, type PlannedWrite } from './batch';
export { gitignoreNotices } from './gitignore';
export { ownFields } from './save';
export { saveCatcherRules, collectionCatcherRules } from './catcher-rules';
