/*
 * percentile_select_template.h — one instance of the selection algorithms
 * for one element type.  Included by percentile_select_core.c with:
 *   SEL_T       element type
 *   SEL_K       key type (totally ordered with < and ==)
 *   SEL_KEY(p)  key of *p
 *   SEL_NAME(x) name of an instance function
 */

/* Swap two elements. */
static inline void
SEL_NAME(swap) (SEL_T *a, SEL_T *b)
{
	SEL_T		t = *a;

	*a = *b;
	*b = t;
}

/* Sift element i down a max-heap of n elements starting at v. */
static void
SEL_NAME(sift) (SEL_T *v, size_t i, size_t n)
{
	for (;;)
	{
		size_t		l = 2 * i + 1,
					big = i;

		if (l < n && SEL_KEY(&v[l]) > SEL_KEY(&v[big]))
			big = l;
		if (l + 1 < n && SEL_KEY(&v[l + 1]) > SEL_KEY(&v[big]))
			big = l + 1;
		if (big == i)
			return;
		SEL_NAME(swap) (&v[i], &v[big]);
		i = big;
	}
}

/* Heapsort v[0..n-1] ascending: the O(n log n) fallback of introselect. */
static void
SEL_NAME(heapsort) (SEL_T *v, size_t n)
{
	size_t		i;

	if (n < 2)
		return;
	for (i = n / 2; i-- > 0;)
		SEL_NAME(sift) (v, i, n);
	for (i = n - 1; i > 0; i--)
	{
		SEL_NAME(swap) (&v[0], &v[i]);
		SEL_NAME(sift) (v, 0, i);
	}
}

/* Insertion sort of a short range. */
static void
SEL_NAME(insertion) (SEL_T *v, size_t n)
{
	size_t		i,
				j;

	for (i = 1; i < n; i++)
	{
		SEL_T		x = v[i];
		SEL_K		kx = SEL_KEY(&x);

		for (j = i; j > 0 && SEL_KEY(&v[j - 1]) > kx; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * Introselect: rearrange v[lo..hi) so that v[k] holds the value of rank k,
 * everything before it is <= and everything after it is >=.
 */
static void
SEL_NAME(introselect) (SEL_T *v, size_t lo, size_t hi, size_t k)
{
	int			budget = 2;
	size_t		len;

	for (len = hi - lo; len > 1; len >>= 1)
		budget += 2;
	while (hi - lo > 16)
	{
		size_t		mid = lo + (hi - lo) / 2,
					i,
					j;
		SEL_K		pivot;

		if (budget-- <= 0)
		{
			SEL_NAME(heapsort) (v + lo, hi - lo);
			return;
		}
		/* median of three into v[lo], with sentinels at both ends */
		if (SEL_KEY(&v[mid]) < SEL_KEY(&v[lo]))
			SEL_NAME(swap) (&v[mid], &v[lo]);
		if (SEL_KEY(&v[hi - 1]) < SEL_KEY(&v[lo]))
			SEL_NAME(swap) (&v[hi - 1], &v[lo]);
		if (SEL_KEY(&v[hi - 1]) < SEL_KEY(&v[mid]))
			SEL_NAME(swap) (&v[hi - 1], &v[mid]);
		SEL_NAME(swap) (&v[lo], &v[mid]);
		pivot = SEL_KEY(&v[lo]);
		/* Hoare partition: stops on equal keys, so ties split evenly */
		i = lo;
		j = hi;
		for (;;)
		{
			do
				i++;
			while (SEL_KEY(&v[i]) < pivot);
			do
				j--;
			while (pivot < SEL_KEY(&v[j]));
			if (i >= j)
				break;
			SEL_NAME(swap) (&v[i], &v[j]);
		}
		SEL_NAME(swap) (&v[lo], &v[j]);
		if (k == j)
			return;
		if (k < j)
			hi = j;
		else
			lo = j + 1;
	}
	SEL_NAME(insertion) (v + lo, hi - lo);
}

/* Compare two keys for qsort. */
static int
SEL_NAME(keycmp) (const void *a, const void *b)
{
	SEL_K		x = *(const SEL_K *) a,
				y = *(const SEL_K *) b;

	return (x > y) - (x < y);
}

/* Select several ascending ranks in place, left to right. */
static void
SEL_NAME(select_inplace) (SEL_T *v, size_t n, const int64_t *ranks, int nranks, SEL_T *out)
{
	size_t		lo = 0;
	int			r;

	for (r = 0; r < nranks; r++)
	{
		size_t		k = (size_t) ranks[r];

		if (r > 0 && ranks[r] == ranks[r - 1])
		{
			out[r] = out[r - 1];
			continue;
		}
		SEL_NAME(introselect) (v, lo, n, k);
		out[r] = v[k];
		lo = k + 1;
	}
}

/*
 * Select in place on one contiguous array: the run itself when there is one,
 * else a temporary copy of all runs.
 */
static int
SEL_NAME(select_contiguous) (const CxSelSeg *segs, int nseg, size_t n,
							 const int64_t *ranks, int nranks, SEL_T *out,
							 const CxSelAlloc *mem)
{
	SEL_T	   *v;
	size_t		off = 0;
	int			s;

	if (nseg == 1)
	{
		SEL_NAME(select_inplace) ((SEL_T *) segs[0].data, n, ranks, nranks, out);
		return 0;
	}
	v = mem->alloc(sizeof(SEL_T) * (n ? n : 1), mem->arg);
	if (v == NULL)
		return -1;
	for (s = 0; s < nseg; s++)
	{
		memcpy(v + off, segs[s].data, sizeof(SEL_T) * segs[s].n);
		off += segs[s].n;
	}
	SEL_NAME(select_inplace) (v, n, ranks, nranks, out);
	mem->release(v, mem->arg);
	return 0;
}

/*
 * One scan against sampled pivots, then selection inside the small brackets.
 * Falls back to select_contiguous for ranks the brackets missed.
 */
static int
SEL_NAME(select) (const CxSelSeg *segs, int nseg, const int64_t *ranks, int nranks,
				  SEL_T *out, const CxSelAlloc *mem)
{
	enum
	{
		SAMPLE = 16384, MAXB = 16, CHUNK = 1024
	};
	SEL_K	   *sample;
	void	   *raw;
	SEL_K		lo[MAXB],
				hi[MAXB];
	int			has_lo[MAXB],
				has_hi[MAXB];
	size_t		below[MAXB],	/* values below bracket b (in the gap) */
				size[MAXB],
				cap[MAXB];
	SEL_T	   *buf[MAXB];
	int			first_rank[MAXB + 1];
	int			nb = 0,
				b,
				r,
				s,
				overflow = 0,
				missed = 0;
	uint64_t	rng = 0x9E3779B97F4A7C15ULL;
	size_t		n = 0,
				d,
				i;

	for (s = 0; s < nseg; s++)
		n += segs[s].n;
	if (n < 8 * SAMPLE || nranks > MAXB)
		return SEL_NAME(select_contiguous) (segs, nseg, n, ranks, nranks, out, mem);

	/* a deterministic pseudo-random sample of keys, sorted */
	/* keys may need 16-byte alignment (__int128); allocators give 8 */
	raw = mem->alloc(sizeof(SEL_K) * SAMPLE + 16, mem->arg);
	if (raw == NULL)
		return -1;
	sample = (SEL_K *) (((uintptr_t) raw + 15) & ~(uintptr_t) 15);
	for (i = 0; i < SAMPLE; i++)
	{
		size_t		at;

		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		at = rng % n;
		for (s = 0; at >= segs[s].n; s++)
			at -= segs[s].n;
		sample[i] = SEL_KEY(&((SEL_T *) segs[s].data)[at]);
	}
	qsort(sample, SAMPLE, sizeof(SEL_K), SEL_NAME(keycmp));

	/*
	 * A bracket of +-5 standard deviations of the sample rank around each
	 * rank (the sample rank's deviation is at most sqrt(SAMPLE) / 2).
	 */
	d = 320;
	for (r = 0; r < nranks; r++)
	{
		double		t = ((double) ranks[r] + 0.5) * SAMPLE / (double) n;
		long		tl = (long) t - (long) d,
					th = (long) t + (long) d;
		int			hl = tl >= 0,
					hh = th < SAMPLE;
		SEL_K		kl = hl ? sample[tl] : 0,
					kh = hh ? sample[th] : 0;

		/* merge with the previous bracket when they overlap */
		if (nb > 0 && (!has_hi[nb - 1] || !hl || kl <= hi[nb - 1]))
		{
			has_hi[nb - 1] = hh;
			hi[nb - 1] = kh;
			continue;
		}
		lo[nb] = kl;
		hi[nb] = kh;
		has_lo[nb] = hl;
		has_hi[nb] = hh;
		first_rank[nb] = r;
		nb++;
	}
	first_rank[nb] = nranks;
	mem->release(raw, mem->arg);

	for (b = 0; b < nb; b++)
	{
		/* expected share of values in the bracket, with ample slack */
		cap[b] = (size_t) ((double) n * (4.0 * d * (first_rank[b + 1] - first_rank[b])) / SAMPLE) + 2 * CHUNK;
		if (cap[b] > n + CHUNK)
			cap[b] = n + CHUNK;
		buf[b] = mem->alloc(sizeof(SEL_T) * cap[b], mem->arg);
		if (buf[b] == NULL)
		{
			while (b-- > 0)
				mem->release(buf[b], mem->arg);
			return -1;
		}
		size[b] = 0;
		below[b] = 0;
	}

	/*
	 * The one scan: bin each value by the bracket bounds without branches
	 * (mispredicted branches cost more than the comparisons when there are
	 * several brackets), count each gap, copy each bracket.  Bins: even j is
	 * the gap below bracket j / 2 (2 * nb: above the last), odd j is bracket
	 * (j - 1) / 2.  Gap values are stored to a scratch slot that never moves.
	 * Capacity is checked once per block of CHUNK values.
	 */
	{
		SEL_K		bound[2 * MAXB];
		size_t		cnt[4][2 * MAXB + 1];
		SEL_T	   *dst[2 * MAXB + 1];
		SEL_T		scratch[2];
		int			nbound = 2 * nb,
					t;

		memset(cnt, 0, sizeof(cnt));
		for (b = 0; b < nb; b++)
		{
			bound[2 * b] = has_lo[b] ? lo[b] : SEL_KMIN;
			bound[2 * b + 1] = has_hi[b] ? hi[b] : SEL_KMAX;
			dst[2 * b] = &scratch[0];
			dst[2 * b + 1] = buf[b];
		}
		dst[2 * nb] = &scratch[0];
		for (s = 0; s < nseg && !overflow; s++)
		{
			const SEL_T *v = (const SEL_T *) segs[s].data;
			size_t		m = segs[s].n;

			for (i = 0; i < m; i += CHUNK)
			{
				size_t		e = i + CHUNK < m ? i + CHUNK : m,
							q;

				for (b = 0; b < nb; b++)
					if (cap[b] - (size_t) (dst[2 * b + 1] - buf[b]) < CHUNK)
						overflow = 1;
				if (overflow)
					break;
				if (nb == 1)
				{
					/* one bracket (one fraction): all in registers */
					SEL_K		l = bound[0],
								h = bound[1];
					SEL_T	   *w = dst[1];
					size_t		c = 0;

					for (q = i; q < e; q++)
					{
						SEL_K		k = SEL_KEY(&v[q]);

						c += (k < l);
						*w = v[q];
						w += (k >= l) & (k <= h);
					}
					cnt[0][0] += c;
					dst[1] = w;
					continue;
				}
				for (q = i; q < e; q++)
				{
					SEL_K		k = SEL_KEY(&v[q]);
					int			j = 0;

					for (t = 0; t < nbound; t += 2)
						j += (k >= bound[t]) + (k > bound[t + 1]);
					cnt[q & 3][j]++;
					*dst[j] = v[q];
					dst[j] += (j & 1);
				}
			}
		}
		for (b = 0; b < nb; b++)
		{
			below[b] = cnt[0][2 * b] + cnt[1][2 * b] + cnt[2][2 * b] + cnt[3][2 * b];
			size[b] = (size_t) (dst[2 * b + 1] - buf[b]);
		}
	}

	/* select inside each bracket when the ranks landed in it */
	for (b = 0; b < nb; b++)
	{
		size_t		before = 0,
					blo = 0;
		int			c;

		for (c = 0; c <= b; c++)
			before += below[c] + (c < b ? size[c] : 0);
		for (r = first_rank[b]; r < first_rank[b + 1]; r++)
		{
			size_t		k = (size_t) ranks[r];

			if (!overflow && k >= before && k < before + size[b])
			{
				if (r > first_rank[b] && ranks[r] == ranks[r - 1])
					out[r] = out[r - 1];
				else
				{
					SEL_NAME(introselect) (buf[b], blo, size[b], k - before);
					out[r] = buf[b][k - before];
					blo = k - before + 1;
				}
			}
			else
				missed = 1;
		}
	}
	for (b = 0; b < nb; b++)
		mem->release(buf[b], mem->arg);

	/* rare: the sample misled us; select exactly on all values */
	if (missed)
		return SEL_NAME(select_contiguous) (segs, nseg, n, ranks, nranks, out, mem);
	return 0;
}

#undef SEL_T
#undef SEL_K
#undef SEL_KEY
#undef SEL_KMIN
#undef SEL_KMAX
#undef SEL_NAME
