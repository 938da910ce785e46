// Entry point: mounts the app. Styles are a plain CSS file, emitted by Vite as a file (the CSP allows no inline style).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import './styles.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
