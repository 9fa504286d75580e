package sched

// readyQueue is a max-heap of node indexes by chain, ties broken by the
// smaller index (ID order) so equal priorities start in a stable order.
type readyQueue struct {
	chain []int64
	items []int
}

func (q *readyQueue) Len() int { return len(q.items) }

func (q *readyQueue) less(a, b int) bool {
	ia, ib := q.items[a], q.items[b]
	if q.chain[ia] != q.chain[ib] {
		return q.chain[ia] > q.chain[ib]
	}
	return ia < ib
}

func (q *readyQueue) push(i int) {
	q.items = append(q.items, i)
	k := len(q.items) - 1
	for k > 0 {
		parent := (k - 1) / 2
		if !q.less(k, parent) {
			break
		}
		q.items[k], q.items[parent] = q.items[parent], q.items[k]
		k = parent
	}
}

func (q *readyQueue) pop() int {
	top := q.items[0]
	last := len(q.items) - 1
	q.items[0] = q.items[last]
	q.items = q.items[:last]
	k := 0
	for {
		l, r, m := 2*k+1, 2*k+2, k
		if l < len(q.items) && q.less(l, m) {
			m = l
		}
		if r < len(q.items) && q.less(r, m) {
			m = r
		}
		if m == k {
			return top
		}
		q.items[k], q.items[m] = q.items[m], q.items[k]
		k = m
	}
}
