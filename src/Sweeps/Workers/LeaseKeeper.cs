using TrainKit.Sweeps.Store;

namespace TrainKit.Sweeps.Workers;

/// <summary>Renews a trial's lease every third of its length on a timer thread while the trial trains. If a renewal
/// finds the trial held by someone else, or the store stays unreachable until the lease would have expired,
/// <see cref="Lost"/> turns true and the training thread stops at its next logged step.</summary>
public sealed class LeaseKeeper : IDisposable
{
    readonly TrialStore _store;
    readonly TrialLease _lease;
    readonly TimeSpan _duration;
    readonly Timer _timer;
    readonly Action<string>? _log;
    DateTimeOffset _validUntil;
    volatile bool _lost;

    public LeaseKeeper(TrialStore store, TrialLease lease, TimeSpan duration, Action<string>? log = null)
    {
        _store = store;
        _lease = lease;
        _duration = duration;
        _log = log;
        _validUntil = lease.Expires;
        TimeSpan period = duration / 3;
        _timer = new Timer(_ => Renew(), null, period, period);
    }

    public bool Lost => _lost || DateTimeOffset.UtcNow >= _validUntil;

    void Renew()
    {
        if (_lost) return;
        try
        {
            DateTimeOffset asked = DateTimeOffset.UtcNow + _duration;
            if (_store.Renew(_lease, _duration)) _validUntil = asked;
            else { _lost = true; _log?.Invoke($"lost the lease on {_lease.Trial.Name}: another worker holds it now"); }
        }
        catch (Exception ex)
        {
            _log?.Invoke($"could not renew the lease on {_lease.Trial.Name} ({ex.Message}); valid until {_validUntil:HH:mm:ss}");
        }
    }

    public void Dispose() => _timer.Dispose();
}
