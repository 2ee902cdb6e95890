using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SleepTime.TinyModel.Training;

/// <summary>
/// Y = X·Wᵀ over rows, with W in ggml's layout ([inputs, outputs]: output row r is W[r·inputs .. (r+1)·inputs)), and
/// its backward. Four rows at a time share each load of W (register blocking on 256-bit vectors); inputs must be a
/// multiple of 8. Single-threaded and in a fixed order, so results repeat bit for bit.
/// </summary>
internal static class Linear
{
    private const int Lanes = 8;

    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, int rows, int inputs, int outputs)
    {
        Check(x.Length >= rows * inputs && w.Length >= outputs * inputs && y.Length >= rows * outputs, inputs);
        ref var x0 = ref MemoryMarshal.GetReference(x);
        ref var w0 = ref MemoryMarshal.GetReference(w);
        var t = 0;
        for (; t + 4 <= rows; t += 4)
        {
            ref var xa = ref Unsafe.Add(ref x0, t * inputs);
            ref var xb = ref Unsafe.Add(ref xa, inputs);
            ref var xc = ref Unsafe.Add(ref xb, inputs);
            ref var xd = ref Unsafe.Add(ref xc, inputs);
            for (var r = 0; r < outputs; r++)
            {
                ref var wr = ref Unsafe.Add(ref w0, r * inputs);
                Vector256<float> a = default, b = default, c = default, d = default;
                for (var i = 0; i < inputs; i += Lanes)
                {
                    var wv = Vector256.LoadUnsafe(ref wr, (nuint)i);
                    a = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xa, (nuint)i), wv, a);
                    b = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xb, (nuint)i), wv, b);
                    c = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xc, (nuint)i), wv, c);
                    d = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xd, (nuint)i), wv, d);
                }

                y[(t * outputs) + r] = Vector256.Sum(a);
                y[((t + 1) * outputs) + r] = Vector256.Sum(b);
                y[((t + 2) * outputs) + r] = Vector256.Sum(c);
                y[((t + 3) * outputs) + r] = Vector256.Sum(d);
            }
        }

        for (; t < rows; t++)
        {
            ref var xa = ref Unsafe.Add(ref x0, t * inputs);
            for (var r = 0; r < outputs; r++)
            {
                ref var wr = ref Unsafe.Add(ref w0, r * inputs);
                Vector256<float> a = default;
                for (var i = 0; i < inputs; i += Lanes)
                {
                    a = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xa, (nuint)i), Vector256.LoadUnsafe(ref wr, (nuint)i), a);
                }

                y[(t * outputs) + r] = Vector256.Sum(a);
            }
        }
    }

    /// <summary>Adds dL/dX to <paramref name="dx"/> and dL/dW to <paramref name="dw"/>.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy, Span<float> dx, Span<float> dw, int rows, int inputs, int outputs)
    {
        Check(x.Length >= rows * inputs && dx.Length >= rows * inputs && w.Length >= outputs * inputs && dw.Length >= outputs * inputs && dy.Length >= rows * outputs, inputs);
        InputGradient(w, dy, dx, rows, inputs, outputs);
        WeightGradient(x, dy, dw, rows, inputs, outputs);
    }

    /// <summary>dX[t, i] += Σ_r dY[t, r] · W[r, i], four rows of dX per pass over W.</summary>
    private static void InputGradient(ReadOnlySpan<float> w, ReadOnlySpan<float> dy, Span<float> dx, int rows, int inputs, int outputs)
    {
        ref var w0 = ref MemoryMarshal.GetReference(w);
        ref var dy0 = ref MemoryMarshal.GetReference(dy);
        ref var dx0 = ref MemoryMarshal.GetReference(dx);
        var t = 0;
        for (; t + 4 <= rows; t += 4)
        {
            ref var ga = ref Unsafe.Add(ref dy0, t * outputs);
            ref var gb = ref Unsafe.Add(ref ga, outputs);
            ref var gc = ref Unsafe.Add(ref gb, outputs);
            ref var gd = ref Unsafe.Add(ref gc, outputs);
            ref var da = ref Unsafe.Add(ref dx0, t * inputs);
            ref var db = ref Unsafe.Add(ref da, inputs);
            ref var dc = ref Unsafe.Add(ref db, inputs);
            ref var dd = ref Unsafe.Add(ref dc, inputs);
            for (var i = 0; i < inputs; i += Lanes)
            {
                var a = Vector256.LoadUnsafe(ref da, (nuint)i);
                var b = Vector256.LoadUnsafe(ref db, (nuint)i);
                var c = Vector256.LoadUnsafe(ref dc, (nuint)i);
                var d = Vector256.LoadUnsafe(ref dd, (nuint)i);
                for (var r = 0; r < outputs; r++)
                {
                    var wv = Vector256.LoadUnsafe(ref w0, (nuint)((r * inputs) + i));
                    a = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref ga, r)), wv, a);
                    b = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref gb, r)), wv, b);
                    c = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref gc, r)), wv, c);
                    d = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref gd, r)), wv, d);
                }

                a.StoreUnsafe(ref da, (nuint)i);
                b.StoreUnsafe(ref db, (nuint)i);
                c.StoreUnsafe(ref dc, (nuint)i);
                d.StoreUnsafe(ref dd, (nuint)i);
            }
        }

        for (; t < rows; t++)
        {
            ref var ga = ref Unsafe.Add(ref dy0, t * outputs);
            ref var da = ref Unsafe.Add(ref dx0, t * inputs);
            for (var i = 0; i < inputs; i += Lanes)
            {
                var a = Vector256.LoadUnsafe(ref da, (nuint)i);
                for (var r = 0; r < outputs; r++)
                {
                    a = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref ga, r)), Vector256.LoadUnsafe(ref w0, (nuint)((r * inputs) + i)), a);
                }

                a.StoreUnsafe(ref da, (nuint)i);
            }
        }
    }

    /// <summary>dW[r, i] += Σ_t dY[t, r] · X[t, i], four rows of dW per pass over X.</summary>
    private static void WeightGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, int rows, int inputs, int outputs)
    {
        ref var x0 = ref MemoryMarshal.GetReference(x);
        ref var dy0 = ref MemoryMarshal.GetReference(dy);
        ref var dw0 = ref MemoryMarshal.GetReference(dw);
        var r = 0;
        for (; r + 4 <= outputs; r += 4)
        {
            ref var wa = ref Unsafe.Add(ref dw0, r * inputs);
            ref var wb = ref Unsafe.Add(ref wa, inputs);
            ref var wc = ref Unsafe.Add(ref wb, inputs);
            ref var wd = ref Unsafe.Add(ref wc, inputs);
            for (var i = 0; i < inputs; i += Lanes)
            {
                var a = Vector256.LoadUnsafe(ref wa, (nuint)i);
                var b = Vector256.LoadUnsafe(ref wb, (nuint)i);
                var c = Vector256.LoadUnsafe(ref wc, (nuint)i);
                var d = Vector256.LoadUnsafe(ref wd, (nuint)i);
                for (var t = 0; t < rows; t++)
                {
                    var xv = Vector256.LoadUnsafe(ref x0, (nuint)((t * inputs) + i));
                    ref var g = ref Unsafe.Add(ref dy0, (t * outputs) + r);
                    a = Vector256.FusedMultiplyAdd(Vector256.Create(g), xv, a);
                    b = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref g, 1)), xv, b);
                    c = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref g, 2)), xv, c);
                    d = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref g, 3)), xv, d);
                }

                a.StoreUnsafe(ref wa, (nuint)i);
                b.StoreUnsafe(ref wb, (nuint)i);
                c.StoreUnsafe(ref wc, (nuint)i);
                d.StoreUnsafe(ref wd, (nuint)i);
            }
        }

        for (; r < outputs; r++)
        {
            ref var wa = ref Unsafe.Add(ref dw0, r * inputs);
            for (var i = 0; i < inputs; i += Lanes)
            {
                var a = Vector256.LoadUnsafe(ref wa, (nuint)i);
                for (var t = 0; t < rows; t++)
                {
                    a = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref dy0, (t * outputs) + r)), Vector256.LoadUnsafe(ref x0, (nuint)((t * inputs) + i)), a);
                }

                a.StoreUnsafe(ref wa, (nuint)i);
            }
        }
    }

    private static void Check(bool sizesFit, int inputs)
    {
        if (!sizesFit)
        {
            throw new ArgumentException("A matrix or vector is smaller than its stated shape.");
        }

        if (inputs % Lanes != 0)
        {
            throw new ArgumentException($"Matrix inputs must be a multiple of {Lanes}, not {inputs}.", nameof(inputs));
        }
    }
}
