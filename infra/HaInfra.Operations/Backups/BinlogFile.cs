using System.Buffers.Binary;
using HaInfra.Model.Gtids;

namespace HaInfra.Operations.Backups;

/// <summary>A transaction's start in a binary log: its GTID event's offset, GTID and timestamp (seconds, UTC).</summary>
public sealed record GtidEventAt(long Offset, Gtid Gtid, DateTimeOffset Time);

/// <summary>
/// Walks a MariaDB binary log file event by event (v4 format: a 19-byte header whose size field leads to the next
/// event) and lists where each transaction starts. Reading the headers is all a replay plan needs, and it is
/// faster and exacter than parsing mariadb-binlog's text output.
/// </summary>
public static class BinlogFile
{
    private const int HeaderBytes = 19;
    private const byte GtidEventType = 162;
    private static readonly byte[] Magic = [0xfe, (byte)'b', (byte)'i', (byte)'n'];

    /// <summary>The GTID events of <paramref name="path"/> in order; a truncated last event is an error naming the file and offset.</summary>
    /// <param name="growing">The file is still being written (a server's open binlog, the archive's open segment): a cut-off
    /// last event is one not written yet, and ends the list.</param>
    public static List<GtidEventAt> GtidEvents(string path, bool growing = false)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var length = file.Length;
        Span<byte> header = stackalloc byte[HeaderBytes];
        Span<byte> body = stackalloc byte[12];
        if (file.Read(header[..4]) != 4 || !header[..4].SequenceEqual(Magic))
        {
            throw Corrupt(path, 0, "it does not start with the binary log magic bytes");
        }

        var events = new List<GtidEventAt>();
        long offset = 4;
        while (offset < length)
        {
            file.Position = offset;
            if (file.Read(header) != HeaderBytes)
            {
                if (growing)
                {
                    break;
                }

                throw Corrupt(path, offset, "the last event's header is cut off");
            }

            var size = BinaryPrimitives.ReadUInt32LittleEndian(header[9..13]);
            if (size < HeaderBytes || offset + size > length)
            {
                if (growing && size >= HeaderBytes)
                {
                    break;
                }

                throw Corrupt(path, offset, $"an event of {size} bytes does not fit in the file's {length}");
            }

            if (header[4] == GtidEventType)
            {
                file.ReadExactly(body);
                var time = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadUInt32LittleEndian(header[..4]));
                var gtid = new Gtid(BinaryPrimitives.ReadUInt32LittleEndian(body[8..12]), BinaryPrimitives.ReadUInt32LittleEndian(header[5..9]),
                    BinaryPrimitives.ReadUInt64LittleEndian(body[..8]));
                events.Add(new GtidEventAt(offset, gtid, time));
            }

            offset += size;
        }

        return events;
    }

    private static OperationFailedException Corrupt(string path, long offset, string why) =>
        new($"{Path.GetFileName(path)} is not a readable binary log at byte {offset}: {why}.",
            "the archived segment is damaged although its sha256 matched its manifest; restore to an earlier point, and check the binlog archive.");
}
