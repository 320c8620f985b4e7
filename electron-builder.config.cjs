// Packaging for Linux (AppImage, deb), macOS (dmg) and Windows (nsis). Only the built app ships: the
// bundles in out/ and package.json; runtime dependencies come from "dependencies" (renderer-only packages are
// devDependencies, bundled by Vite, so they stay out of the asar).
/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'dev.webhookstudio.app',
  productName: 'Webhook Studio',
  executableName: 'webhook-studio',
  // Source maps carry the TypeScript sources in sourcesContent, so they stay out.
  files: ['out/main/**', 'out/preload/**', 'out/renderer/**', 'out/cli/**', '!out/**/*.map', 'package.json'],
  directories: { output: 'release', buildResources: 'build' },
  asar: true,
  npmRebuild: false,
  linux: { target: ['AppImage', 'deb'], category: 'Development' },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools' },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false },
  // Fuses are flipped in the Electron binary itself: no running as plain Node, no NODE_OPTIONS or
  // --inspect to inject code, the app only from its asar, whose integrity is checked, and file://
  // without the extra privileges (the app is served from app://).
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
    grantFileProtocolExtraPrivileges: false,
    enableCookieEncryption: true,
  },
};

// The packaging smoke test lays the app out against a placeholder Electron folder (no binary can be
// downloaded offline); fuses need the real binary, so they are dropped for that run only.
if (process.env.PACKAGE_SMOKE_ELECTRON_DIST) {
  config.electronDist = process.env.PACKAGE_SMOKE_ELECTRON_DIST;
  config.electronVersion = '45.5.0';
  delete config.electronFuses;
}

module.exports = config;
