using Runc.Sharp.Linux;

namespace Runc.Sharp.Lifecycle;

/// <summary>Read-only commands: state and list. They take no lock; state.json is replaced atomically.</summary>
public static class Queries
{
    public static OciState State(StateStore store, string id)
    {
        var state = store.Read(id);
        return OciState.From(state, StatusDeriver.Derive(store, state));
    }

    public static IReadOnlyList<OciState> List(StateStore store, bool mustExist)
    {
        if (!Directory.Exists(store.Root))
        {
            if (mustExist)
                throw new RuncsException($"root {store.Root}: no such file or directory");
            return [];
        }
        var result = new List<OciState>();
        foreach (var id in store.ListIds())
        {
            // A container deleted between the directory walk and these reads is not listed.
            if (store.TryRead(id) is not { } state || Owners.UidOf(store.DirOf(id)) is not { } uid)
                continue;
            var owner = Owners.NameOf(uid);
            result.Add(OciState.From(state, StatusDeriver.Derive(store, state), owner));
        }
        return result;
    }
}
