/**
 * The automatic answers to keyword SMS, in the language of the keyword: a Chinese keyword is
 * answered in Chinese. Pure.
 */
export type AutoReply =
  | { kind: 'opted_out' }
  | { kind: 'opted_in' }
  | { kind: 'subscribed'; topic: string }
  | { kind: 'unsubscribed'; topic: string }
  | { kind: 'unknown_topic'; topic: string };

/** Whether a text is written in Chinese (has Han characters). */
export function isChinese(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}

/** The reply text for `reply`, in Chinese when the customer wrote Chinese. */
export function autoReplyText(reply: AutoReply, chinese: boolean): string {
  switch (reply.kind) {
    case 'opted_out':
      return chinese
        ? '您已退订，将不再收到营销短信。回复 恢复 可重新接收。'
        : 'You are unsubscribed and will get no more marketing messages. Reply START to opt back in.';
    case 'opted_in':
      return chinese
        ? '您已恢复接收短信。回复 退订 可退订。'
        : 'You are subscribed again. Reply STOP to opt out.';
    case 'subscribed':
      return chinese
        ? `已订阅 ${reply.topic}。回复 退订 ${reply.topic} 可取消。`
        : `Subscribed to ${reply.topic}. Reply UNSUB ${reply.topic} to stop.`;
    case 'unsubscribed':
      return chinese ? `已取消订阅 ${reply.topic}。` : `Unsubscribed from ${reply.topic}.`;
    case 'unknown_topic':
      return chinese ? `没有名为 ${reply.topic} 的订阅主题。` : `There is no topic called ${reply.topic}.`;
  }
}

/** The dispatch SMS a technician gets for a work order. */
export function workOrderText(w: {
  reference: number;
  title: string;
  address: string | null;
  notes: string | null;
}): string {
  const lines = [`Work order ${w.reference}: ${w.title}`];
  if (w.address) lines.push(`Address: ${w.address}`);
  if (w.notes) lines.push(w.notes);
  lines.push(`Reply OK ${w.reference} to accept, DONE ${w.reference} <note> when finished.`);
  return lines.join('\n');
}
