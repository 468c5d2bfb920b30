// Aftercare field capture: records made on the phone wait in IndexedDB and are sent when there
// is signal, each under the UUID it got when it was made, so the server counts it once however
// often it is sent. Conflicts (someone changed the same figures meanwhile) are shown with both
// versions for the field worker to choose. The page's words come from #capture-strings.
(function () {
  "use strict";

  var root = document.getElementById("capture");
  if (!root) {
    return;
  }
  var words = JSON.parse(document.getElementById("capture-strings").textContent);
  var me = {user: root.dataset.user, organisation: root.dataset.organisation};
  var DB_NAME = "aftercare-capture";
  var STORE = "records";
  var VERSIONS = "aftercare-capture-versions";
  var SENT_KEPT_MS = 3 * 24 * 3600 * 1000;
  var syncing = false;
  var memory = {}; // where IndexedDB is unavailable: records live as long as the page

  // Storage ---------------------------------------------------------------------------------
  var dbPromise = new Promise(function (resolve) {
    if (!window.indexedDB) {
      resolve(null);
      return;
    }
    var request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = function () {
      request.result.createObjectStore(STORE, {keyPath: "key"});
    };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { resolve(null); };
  });

  function tx(mode, work) {
    return dbPromise.then(function (db) {
      if (!db) {
        return work(null);
      }
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(result && result.result !== undefined ? result.result : result); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }

  function allRecords() {
    return tx("readonly", function (store) {
      return store ? store.getAll() : Object.keys(memory).map(function (k) { return memory[k]; });
    });
  }

  function putRecord(record) {
    return tx("readwrite", function (store) {
      if (store) { store.put(record); } else { memory[record.key] = record; }
    });
  }

  function deleteRecord(key) {
    return tx("readwrite", function (store) {
      if (store) { store.delete(key); } else { delete memory[key]; }
    });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // The newest version of each activity this phone has seen, so a second count of the same
  // activity after a successful send is not taken for someone else's change.
  function knownVersions() {
    try { return JSON.parse(localStorage.getItem(VERSIONS) || "{}"); } catch (e) { return {}; }
  }

  function rememberVersion(id, version) {
    var versions = knownVersions();
    if (!versions[id] || versions[id] < version) {
      versions[id] = version;
      try { localStorage.setItem(VERSIONS, JSON.stringify(versions)); } catch (e) { /* full or private */ }
    }
  }

  // Reading the forms -----------------------------------------------------------------------
  function counts(form) {
    var result = {};
    Array.prototype.forEach.call(form.querySelectorAll(".attendance-grid input[type=number]"), function (input) {
      var parts = input.name.split("__");
      result[parts[0]] = result[parts[0]] || {};
      result[parts[0]][parts[1]] = parseInt(input.value || "0", 10) || 0;
    });
    return result;
  }

  function total(attendance) {
    var sum = 0;
    Object.keys(attendance || {}).forEach(function (sex) {
      Object.keys(attendance[sex]).forEach(function (age) { sum += attendance[sex][age] || 0; });
    });
    return sum;
  }

  function selectedText(select) {
    return select.selectedIndex >= 0 ? select.options[select.selectedIndex].text : "";
  }

  var readers = {
    attendance: function (form) {
      var select = form.elements.activity;
      var option = select.options[select.selectedIndex];
      var version = Math.max(parseInt(option.dataset.version, 10) || 1, knownVersions()[select.value] || 0);
      var attendance = counts(form);
      return {data: {activity: select.value, version: version, attendance: attendance},
              label: selectedText(select) + " · " + total(attendance) + " " + words.people};
    },
    activity: function (form) {
      var topics = Array.prototype.filter.call(form.elements.topics, function (box) { return box.checked; })
        .map(function (box) { return box.value; });
      var attendance = counts(form);
      return {data: {kind: form.elements.kind.value, held_on: form.elements.held_on.value,
                     region: form.elements.region.value, topics: topics, venue: form.elements.venue.value,
                     facilitators: form.elements.facilitators.value, attendance: attendance},
              label: selectedText(form.elements.kind) + " · " + selectedText(form.elements.region) + " · " +
                     form.elements.held_on.value + " · " + total(attendance) + " " + words.people};
    },
    follow_up: function (form) {
      return {data: {case: form.elements.case.value, followed_on: form.elements.followed_on.value,
                     outcome: form.elements.outcome.value, note: form.elements.note.value},
              label: selectedText(form.elements.case) + " · " + selectedText(form.elements.outcome)};
    }
  };

  // Showing the queue -----------------------------------------------------------------------
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function button(text, action, key) {
    var node = element("button", "button button--compact button--secondary", text);
    node.type = "button";
    node.dataset.action = action;
    node.dataset.key = key;
    return node;
  }

  // The cells where the server's count and this phone's differ, and the totals.
  function countsTable(server, yours) {
    var wrap = element("div", "table-wrap");
    var table = element("table", "table table--compact");
    wrap.appendChild(table);
    var head = table.createTHead().insertRow();
    [words.cell, words.server, words.yours].forEach(function (text) {
      var th = element("th", "", text);
      th.scope = "col";
      head.appendChild(th);
    });
    var body = table.createTBody();
    function row(label, theirs, mine) {
      var tr = body.insertRow();
      var th = element("th", "", label);
      th.scope = "row";
      tr.appendChild(th);
      tr.insertCell().textContent = theirs;
      tr.insertCell().textContent = mine;
    }
    Object.keys(yours || {}).forEach(function (sex) {
      Object.keys(yours[sex]).forEach(function (age) {
        var theirs = server && server[sex] ? server[sex][age] : 0;
        if (theirs !== yours[sex][age]) {
          row((words.sexes[sex] || sex) + ", " + (words.ages[age] || age), theirs, yours[sex][age]);
        }
      });
    });
    row(words.total, total(server), total(yours));
    return wrap;
  }

  function render() {
    return allRecords().then(function (records) {
      records.sort(function (a, b) { return b.created_at.localeCompare(a.created_at); });
      var list = document.getElementById("outbox-list");
      list.textContent = "";
      var waiting = 0;
      records.forEach(function (record) {
        var item = element("li", "outbox__item outbox__item--" + record.state);
        item.dataset.key = record.key;
        item.appendChild(element("span", "pill pill--capture-" + record.state, words[record.state]));
        item.appendChild(element("span", "outbox__label", " " + record.label));
        var answer = record.answer || {};
        if (record.user !== me.user || record.organisation !== me.organisation) {
          item.appendChild(element("p", "help", words.otherUser));
        } else if (answer.message) {
          item.appendChild(element("p", record.state === "sent" ? "help" : "error", answer.message));
        }
        if (record.state === "conflict") {
          if (answer.server && answer.server.attendance !== undefined) {
            item.appendChild(countsTable(answer.server.attendance, answer.yours && answer.yours.attendance));
            item.appendChild(button(words.sendAnyway, "override", record.key));
          }
          item.appendChild(button(words.discard, "discard", record.key));
        } else if (record.state === "refused") {
          Object.keys(answer.errors || {}).forEach(function (field) {
            item.appendChild(element("p", "error", field + ": " + answer.errors[field].join(" ")));
          });
          item.appendChild(button(words.remove, "discard", record.key));
        }
        if (record.state === "waiting") { waiting += 1; }
        list.appendChild(item);
      });
      document.getElementById("outbox").hidden = records.length === 0;
      document.getElementById("sync-now").hidden = waiting === 0;
      document.getElementById("queue-state").textContent = waiting ? words.waiting + ": " + waiting : words.nothing;
      root.dataset.waiting = String(waiting);
      return waiting;
    });
  }

  function showNetwork() {
    var state = document.getElementById("net-state");
    state.textContent = navigator.onLine ? words.online : words.offline;
    state.classList.toggle("net-state--offline", !navigator.onLine);
  }

  // Sending ---------------------------------------------------------------------------------
  function isJson(response) {
    return !response.redirected && (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
  }

  function say(text) {
    document.getElementById("capture-message").textContent = text;
  }

  function sendOne(record, csrf) {
    return fetch(root.dataset.submitUrl, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({key: record.key, kind: record.kind, data: record.data})
    }).then(function (response) {
      if (!isJson(response)) {
        return "signin";
      }
      return response.json().then(function (answer) {
        if (response.status === 200 || response.status === 201) {
          record.state = "sent";
          if (answer.record && answer.record.type === "activity") {
            rememberVersion(answer.record.id, answer.record.version);
          }
        } else if (response.status === 409) {
          record.state = "conflict";
        } else if (response.status === 401) {
          return "signin";
        } else if (response.status >= 500) {
          return "stop";
        } else {
          record.state = "refused";
        }
        record.answer = answer;
        record.sent_at = new Date().toISOString();
        return putRecord(record).then(function () { return "next"; });
      });
    });
  }

  function sync() {
    if (syncing || !navigator.onLine) {
      return Promise.resolve();
    }
    syncing = true;
    root.dataset.syncing = "true";
    return fetch(root.dataset.statusUrl, {credentials: "same-origin", cache: "no-store",
                                          headers: {"Accept": "application/json"}})
      .then(function (response) { return isJson(response) ? response.json() : {signed_in: false}; })
      .then(function (status) {
        if (!status.signed_in) {
          say(words.signIn);
          return null;
        }
        me = {user: status.user, organisation: status.organisation};
        return allRecords().then(function (records) {
          var mine = records.filter(function (r) {
            return r.state === "waiting" && r.user === status.user && r.organisation === status.organisation;
          }).sort(function (a, b) { return a.created_at.localeCompare(b.created_at); });
          say(mine.length ? words.sending : words.nothing);
          return mine.reduce(function (previous, record) {
            return previous.then(function (outcome) {
              return outcome === "next" ? sendOne(record, status.csrf) : outcome;
            });
          }, Promise.resolve("next")).then(function (outcome) {
            if (outcome === "signin") { say(words.signIn); }
            return outcome;
          });
        });
      })
      .catch(function () { say(words.failed); return "stop"; })
      .then(function (outcome) {
        syncing = false;
        root.dataset.syncing = "false";
        return render().then(function (waiting) {
          if (outcome === "next" && waiting === 0) { say(words.allSent); }
        });
      });
  }

  // Events ----------------------------------------------------------------------------------
  Array.prototype.forEach.call(root.querySelectorAll("form[data-capture]"), function (form) {
    var output = form.querySelector("[data-total]");
    form.addEventListener("input", function () {
      if (output) { output.textContent = String(total(counts(form))); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) {
        return;
      }
      var kind = form.dataset.capture;
      var read = readers[kind](form);
      var record = {key: newKey(), kind: kind, data: read.data, label: read.label, user: me.user,
                    organisation: me.organisation, created_at: new Date().toISOString(), state: "waiting"};
      putRecord(record).then(function () {
        form.reset();
        if (output) { output.textContent = "0"; }
        return render();
      }).then(function () {
        say(words.saved + (navigator.onLine ? " " + words.sending : ""));
        return sync();
      });
    });
  });

  document.getElementById("outbox-list").addEventListener("click", function (event) {
    var target = event.target;
    if (!target.dataset || !target.dataset.action) {
      return;
    }
    var key = target.dataset.key;
    allRecords().then(function (records) {
      var record = records.filter(function (r) { return r.key === key; })[0];
      if (!record) { return null; }
      if (target.dataset.action === "discard") {
        return deleteRecord(key);
      }
      // Send mine over theirs: a new record against the server's version, under a new key.
      var data = JSON.parse(JSON.stringify(record.data));
      data.version = record.answer.server.version;
      var copy = {key: newKey(), kind: record.kind, data: data, label: record.label, user: record.user,
                  organisation: record.organisation, created_at: new Date().toISOString(), state: "waiting"};
      return deleteRecord(key).then(function () { return putRecord(copy); });
    }).then(render).then(sync);
  });

  document.getElementById("sync-now").addEventListener("click", function () { sync(); });
  document.getElementById("clear-sent").addEventListener("click", function () {
    allRecords().then(function (records) {
      return Promise.all(records.filter(function (r) { return r.state === "sent"; })
        .map(function (r) { return deleteRecord(r.key); }));
    }).then(render);
  });
  window.addEventListener("online", function () { showNetwork(); sync(); });
  window.addEventListener("offline", showNetwork);

  // Start: forget sent records after a few days, show the queue, send what waits.
  allRecords().then(function (records) {
    var now = Date.now();
    return Promise.all(records.filter(function (r) {
      return r.state === "sent" && now - Date.parse(r.sent_at || r.created_at) > SENT_KEPT_MS;
    }).map(function (r) { return deleteRecord(r.key); }));
  }).then(render).then(function () {
    showNetwork();
    dbPromise.then(function (db) { if (!db) { say(words.noStorage); } });
    return sync();
  });
  setInterval(function () {
    if (root.dataset.waiting !== "0") { sync(); }
  }, 60000);

  // Ask the browser not to evict the waiting records under storage pressure.
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persist().catch(function () { return false; });
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.workerUrl, {scope: root.dataset.scope}).then(function () {
      root.dataset.worker = "registered";
    }, function () {
      root.dataset.worker = "unavailable";
    });
  }
})();
