import { describe, expect, it } from 'vitest';
import { segmentOf } from '../vehicles/segments';
import { peerGroupMessageArgs, peerGroupOf } from './peer-group';

describe('peer groups', () => {
  it('reads the segment from the model, whatever its case and spacing', () => {
    expect(segmentOf('208')).toBe('B');
    expect(segmentOf(' E-2008 ')).toBe('SUV-B');
    expect(segmentOf('Grandland')).toBe('SUV-C');
    expect(segmentOf('Traction Avant')).toBe('other');
  });

  it('groups by powertrain and segment, and names the group for people', () => {
    expect(peerGroupOf({ powertrain: 'petrol', model: '208' })).toEqual({
      key: 'petrol:B',
      label: 'petrol · B-segment',
      powertrain: 'petrol',
      segment: 'B',
    });
    expect(peerGroupOf({ powertrain: 'electric', model: 'ë-C4' })).toMatchObject({
      key: 'electric:C',
      label: 'electric · C-segment',
    });
    expect(peerGroupOf({ powertrain: 'unknown', model: '3008' }).label).toBe('fuel not stated · C-SUV');
    expect(peerGroupMessageArgs({ powertrain: 'hybrid', segment: 'SUV-C' })).toEqual({
      powertrain: 'hybrid',
      segment: 'suvc',
    });
  });
});
