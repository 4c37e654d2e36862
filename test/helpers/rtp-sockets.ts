/**
 * The two RTP socket paths the media tests run on: node:dgram and the native batch addon
 * (native/rtp-io). Without a built addon the native runs fail rather than skip, so CI notices.
 */
import { nativeRtpSockets } from '../../src/adapters/media/udp-batch.js';
import { openDgramSocket, type RtpSocketOpener } from '../../src/adapters/media/udp-socket.js';

/** One socket path, named for test titles. */
export interface RtpSocketPath {
  name: string;
  sockets: RtpSocketOpener;
}

const native = nativeRtpSockets();

/** node:dgram and the native addon. */
export const rtpSocketPaths: RtpSocketPath[] = [
  { name: 'dgram', sockets: openDgramSocket },
  {
    name: 'native',
    sockets: native.ok
      ? native.open
      : () =>
          Promise.reject(
            new Error(
              `CI must build native/rtp-io (npm run build:native: g++, make, python3): ${native.reason}`,
            ),
          ),
  },
];
