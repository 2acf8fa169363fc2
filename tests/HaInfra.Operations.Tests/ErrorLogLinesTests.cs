using HaInfra.Operations.Local;

namespace HaInfra.Operations.Tests;

public sealed class ErrorLogLinesTests
{
    // The shape of a replica's error log after its disk filled up (MariaDB 10.11 here): thousands of repeats, then the
    // fatal error, then the crash report.
    private const string DiskFullLog = """
        2026-12-06 17:30:24 7 [Warning] mariadbd: Disk is full writing './relay-bin.000002' (Errcode: 28 "No space left on device"). Waiting for someone to free space...
        2026-12-06 17:30:24 11 [ERROR] InnoDB: preallocating 8388608 bytes for file ./fill/f.ibd failed with error 28
        2026-12-06 17:30:24 11 [ERROR] InnoDB: preallocating 8388608 bytes for file ./fill/f.ibd failed with error 28
        2026-12-06 17:30:29 11 [ERROR] [FATAL] InnoDB: Error (Out of disk space) in rollback.
        261206 17:30:29 [ERROR] /usr/sbin/mariadbd got signal 6 ;
        Sorry, we probably made a mistake, and this is a bug.
        Max open files            20000                20000                files
        """;

    [Fact]
    public void The_cause_of_a_crash_is_named_once_and_the_crash_report_is_left_out()
    {
        Assert.Equal(
            [
                "mariadbd: Disk is full writing './relay-bin.000002' (Errcode: 28 \"No space left on device\"). Waiting for someone to free space...",
                "InnoDB: preallocating 8388608 bytes for file ./fill/f.ibd failed with error 28", "[FATAL] InnoDB: Error (Out of disk space) in rollback.",
            ],
            ErrorLogLines.Errors(DiskFullLog, 6));
        Assert.Equal(["[FATAL] InnoDB: Error (Out of disk space) in rollback."], ErrorLogLines.Errors(DiskFullLog, 1));
    }

    [Fact]
    public void A_stopped_servers_last_error_is_the_fatal_one_or_the_first_of_its_last_run()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "2026-12-06 17:00:00 0 [Note] Starting MariaDB 10.11.19 as process 1\n" + DiskFullLog.Replace("        ", "", StringComparison.Ordinal) + "\n");
            Assert.Equal("[FATAL] InnoDB: Error (Out of disk space) in rollback.", ErrorLogLines.LastError(path));
            File.AppendAllText(path, """
                2026-12-06 17:40:56 0 [Note] Starting MariaDB 10.11.19 as process 2
                2026-12-06 17:40:56 0 [ERROR] InnoDB: Could not set the file size of './ibtmp1'. Probably out of disk space
                2026-12-06 17:40:56 0 [ERROR] InnoDB: Unable to create the shared innodb_temporary
                2026-12-06 17:40:56 0 [ERROR] Unknown/unsupported storage engine: InnoDB
                2026-12-06 17:40:56 0 [ERROR] Aborting

                """);
            Assert.Equal("InnoDB: Could not set the file size of './ibtmp1'. Probably out of disk space", ErrorLogLines.LastError(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_last_error_naming_only_the_os_error_number_of_a_full_disk_says_what_it_means()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                2026-12-07 19:40:00 0 [Note] Starting MariaDB 10.11.19 as process 1
                2026-12-07 19:40:05 11 [ERROR] InnoDB: preallocating 2097152 bytes for file ./hainfra_load/writes.ibd failed with error 28

                """);
            Assert.Equal("InnoDB: preallocating 2097152 bytes for file ./hainfra_load/writes.ibd failed with error 28 (error 28: no space left on device)",
                ErrorLogLines.LastError(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_log_without_errors_has_none()
    {
        Assert.Empty(ErrorLogLines.Errors("2026-12-06 17:30:17 0 [Note] /usr/sbin/mariadbd: ready for connections.\n", 3));
    }
}
