export * from './leads';
export * from './latency';
export * from './summary';
export * from './reports';
