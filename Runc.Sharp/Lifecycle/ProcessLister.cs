using System.Diagnostics;

namespace Runc.Sharp.Lifecycle;

/// <summary>`ps`: the container's host pids as JSON, or ps(1)'s table filtered to them.</summary>
public static class ProcessLister
{
    public static int Print(RuntimeOptions o, string id, bool json, IReadOnlyList<string> psArgs)
    {
        var state = o.Store.Read(id);
        var pids = ContainerCgroups.For(state).Pids().ToList();
        if (json)
        {
            Console.Out.Write(StateJson.Text(pids));
            Console.Out.Write('\n');
            return 0;
        }
        var psi = new ProcessStartInfo("ps") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in psArgs.Count == 0 ? ["-ef"] : psArgs)
            psi.ArgumentList.Add(a);
        string output;
        using (var ps = Process.Start(psi) ?? throw new RuncsException("ps: could not start"))
        {
            output = ps.StandardOutput.ReadToEnd();
            ps.WaitForExit();
            if (ps.ExitCode != 0)
                throw new RuncsException($"ps: exit status {ps.ExitCode}");
        }
        var lines = output.Split('\n');
        var header = lines[0];
        var column = Array.IndexOf(header.Split(' ', StringSplitOptions.RemoveEmptyEntries), "PID");
        if (column < 0)
            throw new RuncsException("ps: could not find the PID column in its output");
        Console.Out.WriteLine(header);
        var wanted = pids.ToHashSet();
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > column && int.TryParse(fields[column], out var pid) && wanted.Contains(pid))
                Console.Out.WriteLine(line);
        }
        return 0;
    }
}
