namespace HaInfra.Model.Backups;

/// <summary>
/// Objects in the backup store that are not backups: the outcome of restore verifications, written by the operator's
/// `backup verify` and read by every backup host's agent (which mirrors it into its metrics). The cloud programs grant
/// hosts read access to exactly these; the catalog and prune leave the prefix alone.
/// </summary>
public static class BackupStatusObjects
{
    public const string Prefix = "status/";
    public const string RestoreVerify = Prefix + "restore-verify.json";
}
