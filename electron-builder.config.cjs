// electron-builder configuration. build/ holds resources only (icons); packages go to out/release.
// Renderer libraries are devDependencies bundled by Vite, so the asar holds only the built app and the
// one runtime dependency, DuckDB (the sandbox's engine). Its native binding (duckdb.node, which loads
// libduckdb.so through rpath $ORIGIN) cannot be dlopen'ed from inside an asar, so both are unpacked.
/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'io.influxworkbench.app',
  productName: 'Influx Workbench',
  directories: { buildResources: 'build', output: 'out/release' },
  files: ['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json', '!**/*.map'],
  asar: true,
  asarUnpack: ['node_modules/@duckdb/**'],
  // Security fuses (Electron security checklist #19).
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    maintainer: 'Influx Workbench <team@influxworkbench.invalid>',
  },
  deb: { depends: ['libnss3', 'libsecret-1-0'] },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools', hardenedRuntime: true },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
};

module.exports = config;
