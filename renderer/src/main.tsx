import { StrictMode } from 'react';
import { config as zodConfig } from 'zod';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { api } from './api';
import { StoreProvider } from './store/context';
import { createStudioStore } from './store/studio-store';
import './styles.css';

// zod probes for eval (`new Function`) to speed up parsing; the CSP forbids eval, so skip the probe.
zodConfig({ jitless: true });

const store = createStudioStore(api);
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
}
