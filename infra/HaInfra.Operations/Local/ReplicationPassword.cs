namespace HaInfra.Operations.Local;

/// <summary>The local target's replication password: generated once, kept in the state directory (mode 0600), never printed.</summary>
public static class ReplicationPassword
{
    public static Secret LoadOrCreate(LocalPaths paths)
    {
        if (File.Exists(paths.ReplicationPasswordFile))
        {
            return new Secret(File.ReadAllText(paths.ReplicationPasswordFile).Trim());
        }

        Directory.CreateDirectory(paths.SecretsDir);
        File.SetUnixFileMode(paths.SecretsDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var secret = Secret.Generate();
        var temp = paths.ReplicationPasswordFile + ".tmp";
        using (File.Create(temp))
        {
        }

        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(temp, secret.Reveal());
        File.Move(temp, paths.ReplicationPasswordFile, overwrite: true);
        return secret;
    }
}
