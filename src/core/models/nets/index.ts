/**
 * The networks by id (the catalog's NETWORKS): how each builds an encoder and a decoder for an
 * image shape, from the network's own settings (every declared key present: networkOptionsOf).
 */
import type { VariableScope } from '../../layers/scope';
import type { Rng } from '../../types';
import type { NetworkId } from '../catalog';
import { convNetOptions, ConvDecoder, ConvEncoder } from './conv';
import { MlpDecoder, MlpEncoder } from './mlp';
import type { DecoderNet, EncoderNet, NetShape, NetworkOptions } from './net';

export interface NetBuilder {
  encoder(shape: NetShape, rng: Rng, scope: VariableScope, options: NetworkOptions): EncoderNet;
  decoder(shape: NetShape, rng: Rng, scope: VariableScope, options: NetworkOptions): DecoderNet;
}

export const NETS: Record<NetworkId, NetBuilder> = {
  mlp: {
    encoder: (shape, rng, scope) => new MlpEncoder(shape, rng, scope),
    decoder: (shape, rng, scope) => new MlpDecoder(shape, rng, scope),
  },
  conv: {
    encoder: (shape, rng, scope, options) => new ConvEncoder(shape, rng, scope, convNetOptions(options)),
    decoder: (shape, rng, scope, options) => new ConvDecoder(shape, rng, scope, convNetOptions(options)),
  },
};
