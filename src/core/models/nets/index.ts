/** The networks by id (the catalog's NETWORKS): how each builds an encoder and a decoder. */
import type { VariableScope } from '../../layers/scope';
import type { Rng } from '../../types';
import type { NetworkId } from '../catalog';
import { ConvDecoder, ConvEncoder } from './conv';
import { MlpDecoder, MlpEncoder } from './mlp';
import type { DecoderNet, EncoderNet, NetShape } from './net';

export interface NetBuilder {
  encoder(shape: NetShape, rng: Rng, scope: VariableScope): EncoderNet;
  decoder(shape: NetShape, rng: Rng, scope: VariableScope): DecoderNet;
}

export const NETS: Record<NetworkId, NetBuilder> = {
  mlp: {
    encoder: (shape, rng, scope) => new MlpEncoder(shape, rng, scope),
    decoder: (shape, rng, scope) => new MlpDecoder(shape, rng, scope),
  },
  conv: {
    encoder: (shape, rng, scope) => new ConvEncoder(shape, rng, scope),
    decoder: (shape, rng, scope) => new ConvDecoder(shape, rng, scope),
  },
};
