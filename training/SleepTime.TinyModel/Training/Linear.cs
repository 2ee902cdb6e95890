using System.Numerics.Tensors;

namespace SleepTime.TinyModel.Training;

/// <summary>
/// Y = X·Wᵀ over rows, with W in ggml's layout ([inputs, outputs]: output row r is W[r·inputs .. (r+1)·inputs)), and
/// its backward. Single-threaded and in a fixed order, so results repeat bit for bit.
/// </summary>
internal static class Linear
{
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, int rows, int inputs, int outputs)
    {
        for (var t = 0; t < rows; t++)
        {
            var xRow = x.Slice(t * inputs, inputs);
            var yRow = y.Slice(t * outputs, outputs);
            for (var r = 0; r < outputs; r++)
            {
                yRow[r] = TensorPrimitives.Dot(xRow, w.Slice(r * inputs, inputs));
            }
        }
    }

    /// <summary>Adds dL/dX to <paramref name="dx"/> and dL/dW to <paramref name="dw"/>.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy, Span<float> dx, Span<float> dw, int rows, int inputs, int outputs)
    {
        for (var t = 0; t < rows; t++)
        {
            var xRow = x.Slice(t * inputs, inputs);
            var dxRow = dx.Slice(t * inputs, inputs);
            var dyRow = dy.Slice(t * outputs, outputs);
            for (var r = 0; r < outputs; r++)
            {
                var g = dyRow[r];
                if (g == 0)
                {
                    continue;
                }

                TensorPrimitives.MultiplyAdd(w.Slice(r * inputs, inputs), g, dxRow, dxRow);
                var dwRow = dw.Slice(r * inputs, inputs);
                TensorPrimitives.MultiplyAdd(xRow, g, dwRow, dwRow);
            }
        }
    }
}
