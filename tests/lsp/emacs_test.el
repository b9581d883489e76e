;;; emacs_test.el --- Emacs (batch) + eglot 1.9 drive `fix lsp` through editors/emacs  -*- lexical-binding: t; -*-
;; eglot 1.9 never resolves code actions: this exercises the command + workspace/applyEdit path.
;; Environment: FIX_BIN, FIX_REPLAY, FIX_FILE, FIX_EDITORS.
(require 'package)
(package-initialize)
(add-to-list 'load-path (expand-file-name "emacs" (getenv "FIX_EDITORS")))
(require 'fix-eglot)
(require 'cl-lib)

(defun fix-test-fail (fmt &rest args)
  (princ (concat "FAIL: " (apply #'format fmt args) "\n") #'external-debugging-output)
  (kill-emacs 1))

(defun fix-test-wait (pred what &optional seconds)
  (let ((deadline (+ (float-time) (or seconds 30))))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (unless (funcall pred) (fix-test-fail "timed out waiting for %s" what))))

(setq fix-eglot-command (list (getenv "FIX_BIN") "lsp" "--replay" (getenv "FIX_REPLAY") "--candidates" "1"))
(setq eglot-server-programs
      `((c-mode . (fix-eglot-server . ,fix-eglot-command))))
(find-file (getenv "FIX_FILE"))
(c-mode)
(let ((inhibit-message t))
  (call-interactively #'eglot))
(fix-test-wait (lambda () (eglot-current-server)) "eglot to connect")
(fix-test-wait (lambda () (>= (length (flymake-diagnostics)) 2)) "diagnostics")
(let* ((diags (flymake-diagnostics))
       (few (cl-find-if (lambda (d) (string-match-p "too few arguments" (flymake-diagnostic-text d))) diags))
       (typo (cl-find-if (lambda (d) (string-match-p "cuont" (flymake-diagnostic-text d))) diags)))
  (unless few (fix-test-fail "no 'too few arguments' diagnostic in %S" (mapcar #'flymake-diagnostic-text diags)))
  ;; the typo sits after é € 😀 on its line: eglot maps UTF-16 columns, so the region is the identifier
  (unless (and typo (equal (buffer-substring (flymake-diagnostic-beg typo) (flymake-diagnostic-end typo)) "cuont"))
    (fix-test-fail "the typo's range is %S" (and typo (buffer-substring (flymake-diagnostic-beg typo)
                                                                        (flymake-diagnostic-end typo)))))
  (goto-char (flymake-diagnostic-beg few))
  ;; the real UI function, with the menu answered
  (cl-letf (((symbol-function 'completing-read) (lambda (&rest _) "Fix with AI")))
    (let ((last-nonmenu-event 13))
      (eglot-code-actions (line-beginning-position) (line-end-position) nil t))))
(fix-test-wait (lambda () (save-excursion (goto-char (point-min)) (search-forward "add(count, 0)" nil t)))
               "the workspace/applyEdit edit")
(save-buffer)
(let ((inhibit-message t))
  (eglot-shutdown (eglot-current-server)))
(kill-emacs 0)
