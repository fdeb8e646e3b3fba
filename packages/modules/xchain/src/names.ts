/** The module's name: its state prefix, message types (`xchain/updateClient`) and routes. */
export const XCHAIN_MODULE = 'xchain';
