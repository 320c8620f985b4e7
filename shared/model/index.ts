export * from './webhook';
export * from './context';
export * from './field-catalog';
export * from './profile';
export * from './diagnostic';
export * from './rendered';
export * from './exchange';
export * from './trigger';
