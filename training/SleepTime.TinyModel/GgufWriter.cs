using System.Text;

namespace SleepTime.TinyModel;

/// <summary>
/// Writes a GGUF file (version 3, little-endian): metadata key/values, then f32 tensors aligned to 32 bytes.
/// Only the value types a llama model needs: unsigned and signed 32-bit integers, f32, bool, strings, and arrays of
/// strings, f32 and i32.
/// </summary>
public sealed class GgufWriter
{
    private const uint Magic = 0x46554747; // "GGUF"
    private const uint Version = 3;
    private const int Alignment = 32;

    private readonly List<(string Key, Action<BinaryWriter> Write)> metadata = [];
    private readonly List<(string Name, int[] Shape, float[] Data)> tensors = [];

    public GgufWriter Add(string key, string value) => Put(key, w => { w.Write(8u); String(w, value); });

    public GgufWriter Add(string key, uint value) => Put(key, w => { w.Write(4u); w.Write(value); });

    public GgufWriter Add(string key, int value) => Put(key, w => { w.Write(5u); w.Write(value); });

    public GgufWriter Add(string key, float value) => Put(key, w => { w.Write(6u); w.Write(value); });

    public GgufWriter Add(string key, bool value) => Put(key, w => { w.Write(7u); w.Write(value ? (byte)1 : (byte)0); });

    public GgufWriter Add(string key, IReadOnlyList<string> values) => Put(key, w =>
    {
        Array(w, 8u, values.Count);
        foreach (var value in values)
        {
            String(w, value);
        }
    });

    public GgufWriter Add(string key, IReadOnlyList<float> values) => Put(key, w =>
    {
        Array(w, 6u, values.Count);
        foreach (var value in values)
        {
            w.Write(value);
        }
    });

    public GgufWriter Add(string key, IReadOnlyList<int> values) => Put(key, w =>
    {
        Array(w, 5u, values.Count);
        foreach (var value in values)
        {
            w.Write(value);
        }
    });

    /// <summary>Adds an f32 tensor; <paramref name="shape"/> is in ggml order (innermost dimension first).</summary>
    public GgufWriter AddTensor(string name, int[] shape, float[] data)
    {
        var elements = shape.Aggregate(1L, (a, b) => a * b);
        if (elements != data.Length)
        {
            throw new ArgumentException($"Tensor {name} has shape [{string.Join(", ", shape)}] ({elements} values) but {data.Length} values were given.", nameof(data));
        }

        tensors.Add((name, shape, data));
        return this;
    }

    public void Save(string path)
    {
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: false);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write((ulong)tensors.Count);
        writer.Write((ulong)metadata.Count);
        foreach (var (key, write) in metadata)
        {
            String(writer, key);
            write(writer);
        }

        ulong offset = 0;
        foreach (var (name, shape, data) in tensors)
        {
            String(writer, name);
            writer.Write((uint)shape.Length);
            foreach (var dimension in shape)
            {
                writer.Write((ulong)dimension);
            }

            writer.Write(0u); // GGML_TYPE_F32
            writer.Write(offset);
            offset = Align(offset + ((ulong)data.Length * sizeof(float)));
        }

        Pad(writer);
        foreach (var (_, _, data) in tensors)
        {
            foreach (var value in data)
            {
                writer.Write(value);
            }

            Pad(writer);
        }
    }

    private GgufWriter Put(string key, Action<BinaryWriter> write)
    {
        if (metadata.Any(m => m.Key == key))
        {
            throw new ArgumentException($"Metadata key {key} is set twice.", nameof(key));
        }

        metadata.Add((key, write));
        return this;
    }

    private static void String(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static void Array(BinaryWriter writer, uint itemType, int count)
    {
        writer.Write(9u);
        writer.Write(itemType);
        writer.Write((ulong)count);
    }

    private static ulong Align(ulong offset) => (offset + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter writer)
    {
        var position = (ulong)writer.BaseStream.Position;
        for (var i = position; i < Align(position); i++)
        {
            writer.Write((byte)0);
        }
    }
}
