// The connection indicator in the header: always visible, loud when the server is gone.
// States: online, connecting, offline. Subscribers hear every change (the save engine
// retries as soon as the server is back).

const words = {
  online: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline — your edits are kept on this device',
};

let state = 'connecting';
const listeners = new Set();

export function connectionState() { return state; }

export function setConnection(next) {
  if (next === state) return;
  state = next;
  const element = document.getElementById('connection');
  if (element) {
    element.dataset.state = state;
    element.textContent = words[state];
  }
  document.body.classList.toggle('is-offline', state === 'offline');
  for (const listener of listeners) listener(state);
}

export function onConnection(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
