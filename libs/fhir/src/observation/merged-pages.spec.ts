import { decodeCursor } from '@hdp/platform';
import { mergePages } from './merged-pages';

const item = (at: string, id: string) => ({ at: new Date(at), id, value: id });

describe(mergePages.name, () => {
  it('takes the newest of both pages, ties by id descending, and continues after the last one taken', () => {
    const sut = mergePages(
      [
        { items: [item('2026-03-10T00:00:00Z', 'a'), item('2026-03-08T00:00:00Z', 'b')] },
        { items: [item('2026-03-10T00:00:00Z', 'c'), item('2026-03-09T00:00:00Z', 'd')] },
      ],
      3,
    );
    expect(sut.items).toEqual(['c', 'a', 'd']);
    expect(decodeCursor(sut.next!, { at: 'number', id: 'string' })).toEqual({
      at: Date.parse('2026-03-09T00:00:00Z'),
      id: 'd',
    });
  });

  it('has no next page when both pages are complete and all fit', () => {
    expect(mergePages([{ items: [item('2026-03-10T00:00:00Z', 'a')] }, { items: [] }], 2)).toEqual({
      items: ['a'],
      next: undefined,
    });
  });

  it('has a next page when either store has more, even if everything read fits', () => {
    const sut = mergePages([{ items: [item('2026-03-10T00:00:00Z', 'a')], next: 'more' }, { items: [] }], 2);
    expect(sut.next).toBeDefined();
  });
});
