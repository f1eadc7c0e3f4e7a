// Something wrote notifications (the register answered a submission): the bell reloads them now
// rather than at the next start.
type Listener = () => void;
const listeners = new Set<Listener>();

export function notificationsChanged(): void {
  for (const l of listeners) l();
}

export function onNotificationsChanged(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
