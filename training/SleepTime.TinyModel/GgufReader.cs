using System.Text;

namespace SleepTime.TinyModel;

/// <summary>Reads back the f32 tensors of a GGUF file as <see cref="GgufWriter"/> writes them (to resume training from a checkpoint).</summary>
public static class GgufReader
{
    private const uint Magic = 0x46554747;
    private const int Alignment = 32;

    /// <summary>Every tensor by name.</summary>
    /// <exception cref="InvalidDataException">Not a GGUF file of this writer's kind (version 3, f32 tensors).</exception>
    public static Dictionary<string, float[]> ReadTensors(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        if (reader.ReadUInt32() != Magic || reader.ReadUInt32() != 3)
        {
            throw new InvalidDataException($"{path} is not a version 3 GGUF file.");
        }

        var tensorCount = checked((int)reader.ReadUInt64());
        var metadataCount = reader.ReadUInt64();
        for (ulong i = 0; i < metadataCount; i++)
        {
            String(reader);
            Skip(reader, reader.ReadUInt32());
        }

        var infos = new List<(string Name, long Elements, ulong Offset)>();
        for (var i = 0; i < tensorCount; i++)
        {
            var name = String(reader);
            var dimensions = reader.ReadUInt32();
            long elements = 1;
            for (var d = 0; d < dimensions; d++)
            {
                elements *= checked((long)reader.ReadUInt64());
            }

            if (reader.ReadUInt32() != 0)
            {
                throw new InvalidDataException($"Tensor {name} of {path} is not f32.");
            }

            infos.Add((name, elements, reader.ReadUInt64()));
        }

        var start = Align((ulong)stream.Position);
        var tensors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, elements, offset) in infos)
        {
            stream.Position = checked((long)(start + offset));
            var data = new float[elements];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = reader.ReadSingle();
            }

            tensors[name] = data;
        }

        return tensors;
    }

    private static string String(BinaryReader reader) => Encoding.UTF8.GetString(reader.ReadBytes(checked((int)reader.ReadUInt64())));

    private static void Skip(BinaryReader reader, uint type)
    {
        switch (type)
        {
            case 0 or 1 or 7:
                reader.ReadByte();
                break;
            case 2 or 3:
                reader.ReadUInt16();
                break;
            case 4 or 5 or 6:
                reader.ReadUInt32();
                break;
            case 8:
                String(reader);
                break;
            case 9:
                var itemType = reader.ReadUInt32();
                var count = reader.ReadUInt64();
                for (ulong i = 0; i < count; i++)
                {
                    Skip(reader, itemType);
                }

                break;
            case 10 or 11 or 12:
                reader.ReadUInt64();
                break;
            default:
                throw new InvalidDataException($"Unknown GGUF value type {type}.");
        }
    }

    private static ulong Align(ulong offset) => (offset + Alignment - 1) / Alignment * Alignment;
}
