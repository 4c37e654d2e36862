/** Queue statistics: Erlang B/C, service level, staffing and a seeded queue simulation. */
export { erlangB, erlangC, trafficErlangs } from './erlang.js';
export { averageSpeedOfAnswer, occupancy, serviceLevel } from './service-level.js';
export type { ServiceLevelQuery, StaffedLoad, TrafficLoad } from './service-level.js';
export { requiredAgents } from './staffing.js';
export type { StaffingTarget } from './staffing.js';
export { simulateQueue } from './simulation.js';
export type { QueueSimulationInput, QueueSimulationResult } from './simulation.js';
export { exponential, mulberry32 } from './prng.js';
export type { Random } from './prng.js';
