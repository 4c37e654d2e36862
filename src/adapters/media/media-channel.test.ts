import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpMediaChannels } from './media-channel.js';
import { RtpPortPool } from './port-pool.js';
import { createSystemScheduler } from './scheduler.js';
import { rtpSocketPaths } from '../../../test/helpers/rtp-sockets.js';

// A range of its own (the RTP session tests use 41000 + pid%500*20).
const BASE = 52000 + (process.pid % 500) * 8;

for (const { name, sockets } of rtpSocketPaths) {
  test(`${name}: digits sent on one channel arrive as those digits, once each, on the other`, async () => {
    const media = new RtpMediaChannels(
      new RtpPortPool(BASE, BASE + 3),
      createSystemScheduler(),
      '127.0.0.1',
      sockets,
    );
    const agent = await media.open('pcmu', 101);
    const caller = await media.open('pcmu', 101);
    try {
      agent.setRemote('127.0.0.1', caller.localPort);
      caller.setRemote('127.0.0.1', agent.localPort);
      const got: string[] = [];
      const all = new Promise<void>((resolve) =>
        caller.onDigit((d) => {
          got.push(d);
          if (got.length === 4) resolve();
        }),
      );
      await agent.sendDigits('1#9A');
      await all;
      assert.deepEqual(got, ['1', '#', '9', 'A']);
    } finally {
      agent.close();
      caller.close();
    }
  });
}
