;;; fix-eglot.el --- fix's language server through eglot  -*- lexical-binding: t; -*-

;; Works with Emacs 28 + eglot 1.9 (Debian's elpa-eglot) and later.
;;
;;   (add-to-list 'load-path "/path/to/fix/editors/emacs")
;;   (require 'fix-eglot)
;;   (setq fix-eglot-options '(:backend "ollama" :model "qwen2.5-coder:7b"))
;;   (add-hook 'c-mode-hook #'eglot-ensure)
;;
;; Diagnostics show through flymake on open and save; M-x eglot-code-actions on an error offers
;; "Fix with AI" (and the compiler's own fix-its).  eglot 1.9 never resolves code actions, so
;; fix answers it with a command and sends the edit afterwards as workspace/applyEdit.

;;; Code:

(require 'eglot)

(defgroup fix-eglot nil
  "fix's language server (compiler diagnostics and \"Fix with AI\")."
  :group 'eglot)

(defcustom fix-eglot-command '("fix" "lsp")
  "The command that starts fix's language server."
  :type '(repeat string))

(defcustom fix-eglot-options nil
  "fix settings sent as initializationOptions: a plist such as
\(:backend \"openai\" :model \"gpt-4o\" :candidates 3)."
  :type 'plist)

(defcustom fix-eglot-modes '(c-mode c++-mode rust-mode)
  "Major modes whose buffers fix serves."
  :type '(repeat symbol))

(defclass fix-eglot-server (eglot-lsp-server) ()
  :documentation "fix's language server.")

(cl-defmethod eglot-initialization-options ((_server fix-eglot-server))
  (or fix-eglot-options eglot--{}))

(defun fix-eglot-fix-with-ai ()
  "Run \"Fix with AI\" for the diagnostic at point."
  (interactive)
  (let* ((server (eglot--current-server-or-lose))
         (beg (line-beginning-position))
         (end (line-end-position))
         (actions (eglot-code-actions beg end "quickfix"))
         (ai (cl-find "Fix with AI" actions :key (lambda (a) (plist-get a :title)) :test #'equal)))
    (unless ai
      (user-error "fix: no \"Fix with AI\" action on this line"))
    (let ((cmd (plist-get ai :command)))
      (eglot-execute-command server (intern (plist-get cmd :command)) (plist-get cmd :arguments)))))

;; Server-initiated edits are what "Fix with AI" delivers; the edit names the document version it
;; was computed for, and eglot refuses it if the buffer moved on.
(setq eglot-confirm-server-initiated-edits nil)

(dolist (mode fix-eglot-modes)
  (add-to-list 'eglot-server-programs `(,mode . (fix-eglot-server . ,fix-eglot-command))))

(provide 'fix-eglot)
;;; fix-eglot.el ends here
