// placeholder so the bundle builds; replaced by the CLI implementation
console.error('mlready: CLI not built yet');
process.exit(2);
