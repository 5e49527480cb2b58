namespace Runc.Sharp.Cgroups.Systemd;

/// <summary>
/// The container's transient scope, through systemd's manager API: started with the init's
/// pid (Delegate=yes, so the cgroups below it are runcs's to write), stopped at delete. As
/// runc's systemd driver, each call waits for its job's JobRemoved signal.
/// </summary>
public static class SystemdScope
{
    /// <summary>Where a host runs systemd: the directory sd_booted checks.</summary>
    public const string RunningMarker = "/run/systemd/system";

    private const string PrivateSocket = "/run/systemd/private";
    private const string ManagerPath = "/org/freedesktop/systemd1";
    private const string Manager = "org.freedesktop.systemd1.Manager";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static void Start(ScopePlan scope, int pid, string containerId)
    {
        var unit = scope.Unit;
        using var bus = DbusConnection.Open(PrivateSocket);
        var reply = bus.Call(ManagerPath, Manager, "StartTransientUnit", "ssa(sv)a(sa(sv))", w =>
        {
            w.String(unit.Name);
            w.String("replace");
            w.Array(8, () =>
            {
                Property(w, "Description", "s", () => w.String($"runcs container {containerId}"));
                Property(w, "Slice", "s", () => w.String(unit.Slice));
                Property(w, "Delegate", "b", () => w.Bool(true));
                Property(w, "DefaultDependencies", "b", () => w.Bool(false));
                Property(w, "PIDs", "au", () => w.Array(4, () => w.UInt32((uint)pid)));
                foreach (var accounting in new[] { "MemoryAccounting", "CPUAccounting", "TasksAccounting", "BlockIOAccounting" })
                    Property(w, accounting, "b", () => w.Bool(true));
                Properties(w, scope.Properties);
            });
            w.Array(8, () => { });
        }, Timeout);
        WaitForJob(bus, reply, $"start of {unit.Name}");
    }

    /// <summary>`update`'s limits as runtime properties of the scope, so a daemon-reload keeps them too.</summary>
    public static void SetProperties(string unitName, IReadOnlyList<ScopeProperty> properties)
    {
        using var bus = DbusConnection.Open(PrivateSocket);
        bus.Call(ManagerPath, Manager, "SetUnitProperties", "sba(sv)", w =>
        {
            w.String(unitName);
            w.Bool(true);
            w.Array(8, () => Properties(w, properties));
        }, Timeout);
    }

    /// <summary>Stops the scope; a scope systemd no longer knows (its processes all gone) is already stopped.</summary>
    public static void Stop(string unitName)
    {
        using var bus = DbusConnection.Open(PrivateSocket);
        DbusMessage reply;
        try
        {
            reply = bus.Call(ManagerPath, Manager, "StopUnit", "ss", w => { w.String(unitName); w.String("replace"); }, Timeout);
        }
        catch (DbusErrorException e) when (e.Name == "org.freedesktop.systemd1.NoSuchUnit")
        {
            return;
        }
        WaitForJob(bus, reply, $"stop of {unitName}");
    }

    private static void Property(DbusWriter w, string name, string signature, Action value) =>
        w.Struct(() => { w.String(name); w.Variant(signature, value); });

    private static void Properties(DbusWriter w, IReadOnlyList<ScopeProperty> properties)
    {
        foreach (var p in properties)
            Property(w, p.Name, p.Signature, () => p.Value(w));
    }

    /// <summary>The reply names the job; JobRemoved(u id, o job, s unit, s result) says how it ended.</summary>
    private static void WaitForJob(DbusConnection bus, DbusMessage reply, string what)
    {
        var job = reply.Body().String();
        string result = "";
        bus.WaitForSignal(s =>
        {
            if (s.Member != "JobRemoved" || s.Signature != "uoss")
                return false;
            var body = s.Body();
            body.UInt32();
            if (body.String() != job)
                return false;
            body.String();
            result = body.String();
            return true;
        }, Timeout, what);
        if (result != "done")
            throw new RuncsException($"systemd: {what}: job {result}");
    }
}
