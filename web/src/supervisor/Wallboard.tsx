export function Wallboard() {
  return <div />;
}
