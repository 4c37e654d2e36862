export function AdminConsole() {
  return <div />;
}
