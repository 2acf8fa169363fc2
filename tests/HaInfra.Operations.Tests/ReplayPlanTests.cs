using System.Buffers.Binary;
using HaInfra.Model.Gtids;
using HaInfra.Operations.Backups;

namespace HaInfra.Operations.Tests;

/// <summary>Which archived bytes a point-in-time restore applies, planned from the binlog files' event headers.</summary>
public sealed class ReplayPlanTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("hainfra-replayplan-").FullName;

    [Fact]
    public void The_plan_starts_after_the_base_and_stops_before_the_first_transaction_past_a_gtid_target()
    {
        var (first, firstOffsets) = Binlog("mysql-bin.000001", (1, 0), (2, 1), (3, 2));
        var (second, secondOffsets) = Binlog("mysql-bin.000002", (4, 3), (5, 4), (6, 5));

        var plan = ReplayPlan.Make([first, second], new Gtid(0, 7, 2), new RestoreTarget(null, new Gtid(0, 7, 5)))!;

        Assert.Equal([first, second], plan.Files);
        Assert.Equal(firstOffsets[2], plan.StartOffset);
        Assert.Equal(secondOffsets[2], plan.CutOffset);
        Assert.Equal("0-7-5", plan.Position);
        Assert.Equal(3, plan.Transactions);
    }

    [Fact]
    public void A_time_target_stops_before_the_first_transaction_stamped_at_or_after_it()
    {
        var (file, offsets) = Binlog("mysql-bin.000001", (1, 0), (2, 10), (3, 20), (4, 30));

        var plan = ReplayPlan.Make([file], new Gtid(0, 7, 1), new RestoreTarget(T0.AddSeconds(20), null))!;

        Assert.Equal(offsets[1], plan.StartOffset);
        Assert.Equal(offsets[2], plan.CutOffset);
        Assert.Equal("0-7-2", plan.Position);
    }

    [Fact]
    public void Files_before_the_base_are_left_out_and_an_archive_ending_before_the_target_is_applied_whole()
    {
        var (old, _) = Binlog("mysql-bin.000001", (1, 0), (2, 1));
        var (current, offsets) = Binlog("mysql-bin.000002", (3, 2), (4, 3));

        var plan = ReplayPlan.Make([old, current], new Gtid(0, 7, 2), new RestoreTarget(null, new Gtid(0, 7, 99)))!;

        Assert.Equal([current], plan.Files);
        Assert.Equal(offsets[0], plan.StartOffset);
        Assert.Null(plan.CutOffset);
        Assert.Equal("0-7-4", plan.Position);
    }

    [Fact]
    public void Nothing_between_the_base_and_the_target_is_no_plan()
    {
        var (file, _) = Binlog("mysql-bin.000001", (1, 0), (2, 1), (3, 2));

        Assert.Null(ReplayPlan.Make([file], new Gtid(0, 7, 2), new RestoreTarget(null, new Gtid(0, 7, 2))));
        Assert.Null(ReplayPlan.Make([file], new Gtid(0, 7, 2), new RestoreTarget(T0.AddSeconds(2), null)));
    }

    [Fact]
    public void The_applying_server_takes_an_id_no_replayed_transaction_carries()
    {
        var (file, _) = Binlog("mysql-bin.000001", (1, 0), (2, 1));
        var plan = ReplayPlan.Make([file], new Gtid(0, 1, 0), new RestoreTarget(null, new Gtid(0, 1, 2)))!;

        Assert.Equal(2u, new ReplayPlan(plan.Files, 0, null, plan.LastPerDomain, 2, new HashSet<uint> { 1 }).ApplierServerId);
        Assert.Equal(1u, new ReplayPlan(plan.Files, 0, null, plan.LastPerDomain, 2, new HashSet<uint> { 7 }).ApplierServerId);
    }

    [Fact]
    public void A_cut_off_event_is_named_with_its_file_and_offset()
    {
        var (file, _) = Binlog("mysql-bin.000001", (1, 0), (2, 1));
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(stream.Length - 5);
        }

        var error = Assert.Throws<OperationFailedException>(() => BinlogFile.GtidEvents(file));
        Assert.Contains("mysql-bin.000001 is not a readable binary log at byte", error.Problem);
    }

    /// <summary>A binlog file in the v4 layout: magic, a format event, then per transaction a GTID event (server 7,
    /// domain 0) and a row event. Returns the file and each GTID event's offset.</summary>
    private (string File, List<long> GtidOffsets) Binlog(string name, params (ulong Sequence, int Seconds)[] transactions)
    {
        var bytes = new List<byte>([0xfe, (byte)'b', (byte)'i', (byte)'n']);
        var offsets = new List<long>();
        Event(bytes, 15, 0, new byte[80]);
        foreach (var (sequence, seconds) in transactions)
        {
            offsets.Add(bytes.Count);
            var body = new byte[19];
            BinaryPrimitives.WriteUInt64LittleEndian(body, sequence);
            Event(bytes, 162, seconds, body);
            Event(bytes, 23, seconds, new byte[40]);
        }

        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, [.. bytes]);
        return (path, offsets);
    }

    private static void Event(List<byte> bytes, byte type, int seconds, byte[] body)
    {
        var header = new byte[19];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)T0.AddSeconds(seconds).ToUnixTimeSeconds());
        header[4] = type;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(5), 7);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(9), (uint)(header.Length + body.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(13), (uint)(bytes.Count + header.Length + body.Length));
        bytes.AddRange(header);
        bytes.AddRange(body);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
