/**
 * Your own images in the controller: with the data set “Your own images” and no images nothing is
 * configured; once read and chosen, the images go to the worker, then a model of their size and
 * classes (and to a new worker again after a backend change).
 */
import { describe, expect, it } from 'vitest';
import { trainingImage } from '../../../src/data/own/pixels';
import type { ImageDecoder } from '../../../src/state/ownImages/decode';
import { useControllerHarness } from '../helpers/controllerHarness';

const harness = useControllerHarness();
const flatDecoder: ImageDecoder = async (_bytes, width, height, side) => trainingImage(new Uint8Array(width * height * 4).fill(255), width, height, side);

describe('your own images in the controller', () => {
  it('waits for images, then sends them and a model of their size and classes; again to a new worker', async () => {
    const h = harness({}, { imageDecoder: flatDecoder });
    h.ready();
    h.controller.changeSetting('dataset', 'own');
    // no images yet: nothing is configured, the worker is paused, Train has no model
    expect(h.worker.last('configure')?.datasetId).toBe('mnist');
    expect(h.state().model).toBeNull();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 5, 0, 0, 0, 5]);
    await h.controller.images.add({ sources: ['a/x/1.png', 'a/y/2.png', 'a/y/3.png'].map((path) => ({ path, size: png.length, read: async () => png })), unreadable: [] });
    await h.controller.images.setSide(32);
    h.controller.useOwnImages();
    const sent = h.worker.last('useImages');
    expect(sent?.images).toMatchObject({ side: 32, count: 3, classNames: ['x', 'y'] });
    const configure = h.lastConfigure();
    expect(configure.datasetId).toBe('own');
    expect(configure.model).toMatchObject({ imageShape: { width: 32, height: 32, channels: 1 }, classCount: 2 });
    expect(h.controller.images.store.get().inUse).toBe(true);
    h.controller.changeSetting('backend', 'cpu');
    const fresh = h.followNewestWorker();
    expect(fresh.types()).toEqual(['init', 'useImages', 'configure']);
  });
});
